// Login: good, wrong password, lockout after 5 failures (on a throwaway user), the
// session ending while on a page (back to the login, then back to the page).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, assertClean, login, cli, PASSWORD } from './helpers.mjs';

const suite = serverAndBrowser();

test('good login shows the user, role and org unit; logout returns to the login', async () => {
  const page = await newPage(suite.browser);
  await page.goto(`${suite.env.base}/`);
  await page.waitForURL(/\/login/);
  await page.waitForSelector('#login-name');
  await page.waitForFunction(() => document.activeElement?.id === 'login-name', null, { timeout: 2000 });
  await login(page, suite.env.base, 'gz.clerk');
  const who = await page.textContent('header.top .user');
  assert.match(who, /Counter clerk/);
  await page.waitForFunction(() => /Hall|厅|H01/.test(document.querySelector('header.top .user')?.textContent || ''));
  await page.click('text=Log out');
  await page.waitForURL(/\/login/);
  assertClean(page);
});

test('wrong password: a clear message, the password cleared', async () => {
  const page = await newPage(suite.browser);
  await page.goto(`${suite.env.base}/login`);
  await page.fill('#login-name', 'gz.agent');
  await page.fill('#login-password', 'not-the-password1');
  await page.press('#login-password', 'Enter');
  await page.waitForSelector('.alert.error');
  assert.equal((await page.textContent('.alert.error')).trim(), 'The login or password is wrong.');
  assert.equal(await page.inputValue('#login-password'), '');
  assertClean(page);
});

test('five wrong passwords lock the account, and the message says until when', async () => {
  cli(['user', 'add', '--login', 'tmp.locked', '--role', 'clerk', '--org', 'GD-GZ-H01', '--password-stdin', '--db', suite.env.db], `${PASSWORD}\n`);
  const page = await newPage(suite.browser);
  await page.goto(`${suite.env.base}/login`);
  for (let i = 0; i < 5; i++) {
    await page.fill('#login-name', 'tmp.locked');
    await page.fill('#login-password', `wrong-password${i}`);
    await page.press('#login-password', 'Enter');
    await page.waitForFunction((n) => document.querySelector('.alert.error') && document.querySelector('button[type=submit]:not([disabled])'), i);
  }
  // the right password now: still locked
  await page.fill('#login-name', 'tmp.locked');
  await page.fill('#login-password', PASSWORD);
  await page.press('#login-password', 'Enter');
  await page.waitForFunction(() => /locked/.test(document.querySelector('.alert.error')?.textContent || ''));
  const text = await page.textContent('.alert.error');
  assert.match(text, /locked after repeated failed logins until \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2}:\d{2}\./);
  assert.match(page.url(), /\/login/);
  assertClean(page);
});

test('a session that ends sends the user to the login and back to the page afterwards', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.agent');
  await page.goto(`${suite.env.base}/search?q=5678`);
  await page.waitForSelector('h1');
  // log out behind the page's back
  await page.evaluate(async () => {
    const s = await (await fetch('/api/v1/session')).json();
    await fetch('/api/v1/session', { method: 'DELETE', headers: { 'X-CSRF-Token': s.csrfToken } });
  });
  await page.fill('#search-input', '1234');
  await page.waitForURL(/\/login\?reason=ended/);
  assert.match(await page.textContent('.alert.info'), /session has ended/);
  await page.fill('#login-name', 'gz.agent');
  await page.fill('#login-password', PASSWORD);
  await page.press('#login-password', 'Enter');
  await page.waitForURL(/\/search\?q=5678/);
  assertClean(page);
});
