// Languages: chosen from the browser's language, switched in the header, remembered
// across a reload; dates formatted per locale.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, newPage, assertClean, login } from './helpers.mjs';

let env, browser;
before(async () => {
  env = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await env?.stop();
});

test('a Chinese browser gets Chinese; switching to English persists across reloads, and back', async () => {
  const page = await newPage(browser, { locale: 'zh-CN' });
  await page.goto(`${env.base}/login`);
  await page.waitForSelector('#login-title');
  assert.equal(await page.textContent('#login-title'), '登录 telcrm');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.selectOption('.login-head select', 'en');
  assert.equal(await page.textContent('#login-title'), 'Log in to telcrm');
  await page.reload();
  await page.waitForSelector('#login-title');
  assert.equal(await page.textContent('#login-title'), 'Log in to telcrm');
  await login(page, env.base, 'gz.agent');
  assert.ok(await page.locator('text=Log out').isVisible());
  await page.selectOption('header.top select', 'zh-CN');
  assert.ok(await page.locator('text=退出').isVisible());
  await page.reload();
  await page.waitForSelector('header.top .user');
  assert.ok(await page.locator('text=退出').isVisible());
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.textContent('header.top .user'), /话务员/);
  assertClean(page);
});

test('an English browser gets English', async () => {
  const page = await newPage(browser, { locale: 'en-US' });
  await page.goto(`${env.base}/login`);
  await page.waitForSelector('#login-title');
  assert.equal(await page.textContent('#login-title'), 'Log in to telcrm');
  assertClean(page);
});
