// The 360's lines and accounts: a counter clerk opens a customer of the demo and sees its
// lines first — the number (masked, the clerk may not see personal data), the plan, the
// monthly fee, the status, what sits on the line — and the account the bills go to; a
// line's number typed into search finds its customer; the page reads in Chinese.
// Console errors fail each test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, assertClean, login } from './helpers.mjs';

const suite = serverAndBrowser({ customers: 100 });

// A customer of Guangdong whose first line carries a data pack.
async function customerWithAddOn(env) {
  const r = await env.api('GET', '/tmf-api/productInventory/v4/product?productType=dataPack&limit=500');
  const pack = r.body.find((p) => p.orgId.startsWith('GD-'));
  assert.ok(pack, 'the demo has a data pack in Guangdong');
  const line = (await env.api('GET', `/tmf-api/productInventory/v4/product/${pack.parentId}`)).body;
  return { customerId: pack.relatedParty[0].id, line, pack };
}

test('the lines come first, with number, plan, fee, add-ons and the account', async () => {
  const { customerId, line, pack } = await customerWithAddOn(suite.env);
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  await page.goto(`${suite.env.base}/customers/${customerId}`);
  await page.waitForSelector('#lines-table');
  const first = await page.getAttribute('.sections section:first-child', 'data-section');
  assert.equal(first, 'lines');
  const row = `#lines-table tr[data-line="${line.id}"]`;
  assert.equal(await page.textContent(`${row} .line-number`), line.msisdn);
  assert.match(await page.textContent(row), new RegExp(line.productOffering.name.replace(/[()（）+]/g, '.')));
  assert.match(await page.textContent(`${row} td.money`), /¥|CN¥/);
  assert.match(await page.textContent(`${row} [data-add-on="${pack.id}"]`), /流量包/);
  assert.match(await page.textContent('section[data-section="accounts"]'), /Billing account/);
  // the number typed into search finds the customer first
  await page.goto(`${suite.env.base}/search?q=${line.msisdn}`);
  await page.waitForSelector(`a[href="/customers/${customerId}"]`);
  assertClean(page);
});

test('a clerk without personal-data rights sees the number masked, in Chinese', async () => {
  const { customerId, line } = await customerWithAddOn(suite.env);
  const page = await newPage(suite.browser, { locale: 'zh-CN' });
  await login(page, suite.env.base, 'gz.clerk');
  await page.goto(`${suite.env.base}/customers/${customerId}`);
  await page.waitForSelector('#lines-table');
  assert.match(await page.textContent('section[data-section="lines"]'), /线路/);
  assert.match(await page.textContent('#lines-table thead'), /月费/);
  const row = `#lines-table tr[data-line="${line.id}"]`;
  assert.match(await page.textContent(row), /在网|停机/);
  const shown = await page.textContent(`${row} .line-number`);
  assert.equal(shown, line.msisdn.slice(0, 3) + '****' + line.msisdn.slice(7));
  assertClean(page);
});
