// The product catalogue page: a counter clerk opens it from the navigation and sees what is
// on sale with its monthly fee first and its other charges, bundles with what they hold,
// the channels; filters by name as typed and by status (a retired plan is marked); a
// filter that matches nothing says so; the page reads in Chinese. Console errors fail
// each test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, assertClean, login } from './helpers.mjs';

const suite = serverAndBrowser({ customers: 100 });

const row = (name) => `#catalog-table tr:has(strong:text-is("${name}"))`;

test('a clerk finds a plan with its fee, charges and channels, filters by name and status', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  await page.click('nav >> text=Catalogue');
  await page.waitForSelector('#catalog-table');
  const plan = row('5G 畅享 128 元套餐');
  assert.match(await page.textContent(`${plan} td.money`), /128\.00 \/ month/);
  const charges = await page.textContent(`${plan} td:nth-child(3)`);
  assert.match(charges, /套餐外国内语音: .*0\.15 \/ min/);
  assert.match(charges, /SIM 卡费: .*10\.00/);
  assert.match(await page.textContent(`${plan} td:nth-child(4)`), /counter.*call centre.*app/);
  // a bundle says what it holds
  const bundle = row('融合套餐 129 元（5G 88 + 宽带 300M）');
  assert.match(await page.textContent(bundle), /Bundle/);
  assert.match(await page.textContent(bundle), /Holds: 5G 畅享 88 元套餐 \+ 宽带 300M/);
  // on sale only: the retired 4G plan and the plan in design are not listed
  assert.equal(await page.locator(row('4G 飞享 38 元套餐')).count(), 0);
  assert.equal(await page.locator(row('5G 畅享 158 元套餐（新）')).count(), 0);
  // by name, as typed
  await page.fill('#catalog-name', '宽带');
  await page.waitForFunction(() => document.querySelectorAll('#catalog-table tbody tr').length === 6);
  for (const name of await page.locator('#catalog-table tbody strong').allTextContents()) assert.match(name, /宽带/);
  // retired: marked as such
  await page.fill('#catalog-name', '');
  await page.selectOption('#catalog-state', 'retired');
  await page.waitForSelector(row('4G 飞享 38 元套餐'));
  assert.match(await page.textContent(row('4G 飞享 38 元套餐')), /Retired/);
  // nothing found says so
  await page.fill('#catalog-name', 'no such plan');
  await page.waitForSelector('#catalog-empty');
  assert.equal(await page.textContent('#catalog-empty'), 'No offering matches.');
  assertClean(page);
  await page.context().close();
});

test('the catalogue reads in Chinese, fees in yuan', async () => {
  const page = await newPage(suite.browser, { locale: 'zh-CN' });
  await login(page, suite.env.base, 'gz.clerk');
  await page.click('nav >> text=产品目录');
  await page.waitForSelector('#catalog-table');
  assert.equal(await page.textContent('h1'), '产品目录');
  assert.match(await page.textContent(`${row('5G 畅享 58 元套餐')} td.money`), /¥58\.00 \/ 月/);
  assert.match(await page.textContent(`${row('5G 畅享 58 元套餐')} td:nth-child(4)`), /营业厅、客服中心、手机营业厅/);
  assertClean(page);
  await page.context().close();
});
