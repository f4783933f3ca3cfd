// Languages: chosen from the browser's language, switched in the header, remembered
// across a reload; dates formatted per locale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, assertClean, login } from './helpers.mjs';

const suite = serverAndBrowser();

test('a Chinese browser gets Chinese; switching to English persists across reloads, and back', async () => {
  const page = await newPage(suite.browser, { locale: 'zh-CN' });
  await page.goto(`${suite.env.base}/login`);
  await page.waitForSelector('#login-title');
  assert.equal(await page.textContent('#login-title'), '登录 telcrm');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await page.selectOption('.login-head select', 'en');
  assert.equal(await page.textContent('#login-title'), 'Log in to telcrm');
  await page.reload();
  await page.waitForSelector('#login-title');
  assert.equal(await page.textContent('#login-title'), 'Log in to telcrm');
  await login(page, suite.env.base, 'gz.agent');
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
  const page = await newPage(suite.browser, { locale: 'en-US' });
  await page.goto(`${suite.env.base}/login`);
  await page.waitForSelector('#login-title');
  assert.equal(await page.textContent('#login-title'), 'Log in to telcrm');
  assertClean(page);
});
