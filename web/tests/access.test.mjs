// What a user may see: a clerk without pii.read sees masked phone and ID and no admin
// menu; a Beijing clerk gets the not-found page for a Guangzhou customer; an admin sees
// the Administration entry; an unknown path is the not-found page; a page the user's
// permissions do not open says so, and which permission it needs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, assertClean, login, someCustomers } from './helpers.mjs';

let customers;
const suite = serverAndBrowser({
  ready: async ({ env }) => {
    customers = await someCustomers(env, 'GD-GZ-H01', 2);
  },
});

test('gz.clerk sees masked phone and ID, no Administration, and audit as not available', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  const c = customers[0];
  assert.equal(await page.locator('nav >> text=Administration').count(), 0);
  await page.fill('#search-input', c.mobile.slice(-4));
  await page.waitForSelector('#search-listbox [role=option]');
  const text = await page.textContent('#search-listbox');
  assert.ok(text.includes(`${c.mobile.slice(0, 3)}****${c.mobile.slice(-4)}`), `masked phone in ${text}`);
  assert.ok(!text.includes(c.mobile), 'the whole number is never shown');
  await page.goto(`${suite.env.base}/customers/${c.id}`);
  await page.waitForSelector('[data-section=party]');
  const party = await page.textContent('[data-section=party]');
  assert.ok(party.includes('********'), `masked ID in ${party}`);
  assert.ok(!party.includes(c.residentId), 'the whole ID is never shown');
  const contacts = await page.textContent('[data-section=contacts]');
  assert.ok(!contacts.includes(c.mobile));
  assert.match(await page.textContent('[data-section=audit]'), /Not available with your permissions/);
  assertClean(page);
});

test('bj.clerk opening a Guangzhou customer by URL gets "not found or not in your area"', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'bj.clerk');
  await page.goto(`${suite.env.base}/customers/${customers[1].id}`);
  await page.waitForSelector('h1');
  assert.equal(await page.textContent('h1'), 'Not found, or not in your area.');
  assert.ok(!(await page.content()).includes(customers[1].name), 'nothing of the customer leaks');
  await page.goto(`${suite.env.base}/customers/${customers[1].id}/edit`);
  await page.waitForSelector('h1');
  assert.equal(await page.textContent('h1'), 'Not found, or not in your area.');
  assertClean(page);
});

test('admin sees Administration; an unknown path is the not-found page', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  await page.click('nav >> text=Administration');
  await page.waitForURL(/\/admin$/);
  await page.goto(`${suite.env.base}/no/such/page`);
  await page.waitForSelector('h1');
  assert.equal(await page.textContent('h1'), 'Not found, or not in your area.');
  assertClean(page);
});

test('gd.manager (audit.read only) sees Administration with the audit log alone', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gd.manager');
  await page.click('nav >> text=Administration');
  await page.waitForURL(/\/admin$/);
  const links = await page.locator('main a[href^="/admin/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['/admin/audit']);
  assertClean(page);
});

test('the layout works on a tablet (768 px): search, sections stacked', async () => {
  const page = await newPage(suite.browser, { viewport: { width: 768, height: 1024 } });
  await login(page, suite.env.base, 'gz.account');
  await page.goto(`${suite.env.base}/customers/${customers[0].id}`);
  await page.waitForSelector('[data-section=flags]');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'no horizontal scrolling');
  assert.ok(await page.locator('#search-input').isVisible());
  assertClean(page);
});

test('a section the UI does not know is shown as key/value; an omitted one says so', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  const c = customers[0];
  await page.route(`**/api/v1/customers/${c.id}/360`, async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    body.sections.push({ name: 'recentBills', data: [{ billNo: 'B-2026-11', amountDue: 88.5, dueDate: '2026-12-10T00:00:00Z', paid: false }] });
    body.omitted.push('loyaltyPoints');
    await route.fulfill({ response: res, json: body });
  });
  await page.goto(`${suite.env.base}/customers/${c.id}`);
  await page.waitForSelector('[data-section=recentBills]');
  assert.equal(await page.textContent('[data-section=recentBills] h2'), 'Recent bills');
  const bills = await page.textContent('[data-section=recentBills]');
  assert.ok(bills.includes('billNo') && bills.includes('B-2026-11') && bills.includes('CN¥88.50'), bills);
  assert.match(await page.textContent('[data-section=loyaltyPoints]'), /Loyalty points.*Not available with your permissions/);
  assertClean(page);
});

test('a page refused for lack of permission says so, not "not found" and not an empty page', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.agent');
  assert.equal(await page.locator('nav >> text=New customer').count(), 0);
  for (const path of ['/customers/new', `/customers/${customers[0].id}/edit`]) {
    await page.goto(`${suite.env.base}${path}`);
    await page.waitForSelector('main h1');
    assert.equal(await page.textContent('main h1'), 'Not allowed', path);
    assert.match(await page.textContent('main'), /does not have the permission this page needs \(register and change customers and parties\)/, path);
    assert.ok(await page.locator('main a[href="/"]').isVisible());
  }
  // in Chinese too
  await page.selectOption('header.top select', 'zh-CN');
  await page.waitForSelector('main h1 >> text=无权访问');
  assert.match(await page.textContent('main'), /登记和修改客户及参与人/);
  assertClean(page);
});
