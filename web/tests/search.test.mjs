// Search: by the last 4 digits of a phone and by name, the keyboard (/, Ctrl+K, arrows,
// Enter, Escape), and the 360° page it opens, with its sections; results of an earlier
// text locked while the new answer is on its way, a failed or slow search said as such;
// namesakes told apart, an organisation found by its registered name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, assertClean, login, someCustomers } from './helpers.mjs';

let customers;
const suite = serverAndBrowser({
  ready: async ({ env }) => {
    customers = await someCustomers(env, 'GD-GZ-H01', 3);
  },
});

const options = (page) => page.$$eval('#search-listbox [role=option]', (els) => els.map((e) => ({ id: e.id, text: e.textContent, selected: e.getAttribute('aria-selected') })));

test('the last 4 digits of a phone find the customer; Enter opens its 360 with every section', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.account');
  const c = customers[0];
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input', '/ focuses the search');
  await page.keyboard.type(c.mobile.slice(-4));
  await page.waitForSelector('#search-listbox [role=option]');
  const input = page.locator('#search-input');
  assert.equal(await input.getAttribute('aria-expanded'), 'true');
  const opts = await options(page);
  const i = opts.findIndex((o) => o.text.includes(c.customerNo));
  assert.ok(i >= 0, `customer ${c.customerNo} among ${JSON.stringify(opts)}`);
  assert.ok(opts[i].text.includes(c.mobile), 'the matched phone is shown (unmasked with pii.read)');
  for (let k = 0; k <= i; k++) await page.keyboard.press('ArrowDown');
  assert.equal(await input.getAttribute('aria-activedescendant'), opts[i].id);
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`/customers/${c.id}$`));
  await page.waitForSelector('[data-section=profile]');
  const names = await page.$$eval('[data-section]', (els) => els.map((e) => e.getAttribute('data-section')));
  for (const s of ['profile', 'party', 'contacts', 'flags', 'churn', 'audit']) assert.ok(names.includes(s), `section ${s} in ${names}`);
  assert.equal(await page.textContent('#c360-title'), c.name);
  assert.match(await page.textContent('[data-section=omitted], [data-section=audit]'), /History|audit|Not available/);
  assertClean(page);
});

test('a name finds the customer; arrows move, Escape closes, Ctrl+K refocuses, Enter without a choice opens the results page', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.agent');
  const c = customers[1];
  await page.keyboard.press('Control+k');
  await page.keyboard.type(c.name);
  await page.waitForSelector('#search-listbox [role=option]');
  let opts = await options(page);
  assert.ok(opts.some((o) => o.text.includes(c.customerNo)), `name search finds ${c.customerNo}`);
  const input = page.locator('#search-input');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  opts = await options(page);
  assert.equal(opts[1].selected, 'true');
  await page.keyboard.press('ArrowUp');
  opts = await options(page);
  assert.equal(opts[0].selected, 'true');
  assert.equal(await input.getAttribute('aria-activedescendant'), opts[0].id);
  await page.keyboard.press('Escape');
  assert.equal(await input.getAttribute('aria-expanded'), 'false');
  assert.ok(await page.locator('#search-listbox').isHidden());
  // focus elsewhere, then Ctrl+K comes back to the box
  await page.click('h1');
  await page.keyboard.press('Control+k');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-input');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/search\?q=/);
  await page.waitForSelector('table.list');
  assert.ok((await page.textContent('table.list')).includes(c.customerNo));
  await page.click(`table.list a[href="/customers/${c.id}"]`);
  await page.waitForSelector('[data-section=profile]');
  assertClean(page);
});

test('stale answers are dropped: typing on replaces the results', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.agent');
  const [a, b] = customers;
  await page.click('#search-input');
  await page.keyboard.type(a.name, { delay: 10 });
  await page.fill('#search-input', b.customerNo);
  await page.waitForFunction((no) => {
    const o = document.querySelectorAll('#search-listbox [role=option]');
    return o.length === 2 && o[0].textContent.includes(no);
  }, b.customerNo);
  assertClean(page);
});

const SEARCH = /\/api\/v1\/search\?/;

/** Holds the answers to searches back until release() (or answers them at once with
 * fail: a 503): a slow or failing server without timing anything. */
async function holdSearches(page) {
  const ctl = { mode: 'hold', release: () => {} };
  let gate = new Promise((r) => (ctl.release = r));
  ctl.again = () => (gate = new Promise((r) => (ctl.release = r)));
  await page.route(SEARCH, async (route) => {
    if (ctl.mode === 'fail')
      return route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ code: '503', reason: 'Service Unavailable', message: 'the database is busy', status: '503' }) });
    if (ctl.mode === 'hold') await gate;
    return route.continue().catch(() => {});
  });
  return ctl;
}

const dropFailedLoads = (page) => (page.problems = page.problems.filter((p) => !/status of 503/.test(p)));

test('a new query locks the earlier results until its answer is in: Enter never opens a stale hit', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.agent');
  const [a, b] = customers;
  await page.click('#search-input');
  await page.keyboard.type(a.customerNo);
  await page.waitForFunction((no) => document.querySelector('#search-listbox [role=option]')?.textContent.includes(no), a.customerNo);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.getAttribute('#search-input', 'aria-activedescendant'), 'search-opt-0', 'a is selected');
  const held = await holdSearches(page);
  await page.fill('#search-input', b.customerNo);
  await page.waitForSelector('#search-listbox .searching');
  assert.match(await page.textContent('#search-listbox .searching'), /Searching…/);
  const opts = await page.$$eval('#search-listbox [role=option]', (els) => els.map((e) => ({ disabled: e.getAttribute('aria-disabled'), text: e.textContent })));
  assert.ok(opts.length > 0 && opts.every((o) => o.disabled === 'true'), `the earlier results locked: ${JSON.stringify(opts)}`);
  assert.ok(opts[0].text.includes(a.customerNo));
  assert.equal(await page.getAttribute('#search-input', 'aria-activedescendant'), null, 'nothing selected');
  assert.equal(await page.getAttribute('#search-input', 'aria-busy'), 'true');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.getAttribute('#search-input', 'aria-activedescendant'), null, 'a locked result cannot be selected');
  // a click on a locked result opens nothing either
  await page.click('#search-listbox [role=option][aria-disabled=true]', { force: true });
  assert.ok(!page.url().includes(a.id));
  // Enter: the results page of the new text, not the customer of the old one
  await page.focus('#search-input');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/search\?q=/);
  assert.equal(new URL(page.url()).searchParams.get('q'), b.customerNo);
  assert.match(await page.textContent('main'), /Searching…/, 'the results page says it is searching');
  held.release();
  await page.waitForSelector('table.list');
  assert.ok((await page.textContent('table.list')).includes(b.customerNo));
  assertClean(page);
});

test('a failed search says so and offers to search again; a slow one says it is searching', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.agent');
  const c = customers[0];
  const held = await holdSearches(page);
  held.mode = 'fail';
  await page.click('#search-input');
  await page.keyboard.type(c.customerNo);
  await page.waitForSelector('#search-listbox .failed');
  const box = await page.textContent('#search-listbox');
  assert.match(box, /The search failed: The server had a problem \(503\)/);
  assert.doesNotMatch(box, /No customer found/);
  assert.equal(await page.textContent('#search-listbox .retry'), 'Search again');
  assert.equal(await page.getAttribute('#search-input', 'aria-expanded'), 'true');
  // again, slowly this time: "Searching…" until the answer is in
  held.mode = 'hold';
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.getAttribute('#search-input', 'aria-activedescendant'), 'search-opt-0');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#search-listbox .searching');
  assert.ok(await page.locator('#search-listbox').isVisible(), 'the list shows that it is searching');
  assert.equal(await page.getAttribute('#search-listbox', 'aria-busy'), 'true');
  assert.equal(await page.locator('#search-listbox .failed').count(), 0);
  held.release();
  await page.waitForFunction((no) => document.querySelector('#search-listbox [role=option]')?.textContent.includes(no), c.customerNo);
  assert.equal(await page.locator('#search-listbox .searching').count(), 0);

  // the results page: the failure and a button to search again
  held.again();
  held.mode = 'fail';
  await page.goto(`${suite.env.base}/search?q=${encodeURIComponent(c.customerNo)}`);
  await page.waitForSelector('#search-retry');
  assert.match(await page.textContent('main .alert.error'), /The search failed: The server had a problem \(503\)/);
  assert.doesNotMatch(await page.textContent('main'), /No customer found/);
  held.mode = 'pass';
  await page.click('#search-retry');
  await page.waitForSelector('table.list');
  assert.ok((await page.textContent('table.list')).includes(c.customerNo));
  dropFailedLoads(page);
  assertClean(page);
});

test('namesakes are told apart: unit, individual or organisation, masked phone; an organisation by its registered name', async () => {
  const env = suite.env;
  const person = async (rid, mobile, orgId) => {
    const p = await env.api('POST', '/tmf-api/party/v4/individual', {
      familyName: '欧阳', givenName: '明月', orgId,
      individualIdentification: [{ identificationType: 'residentId', identificationId: rid }],
      contactMedium: [{ mediumType: 'mobile', characteristic: { phoneNumber: mobile } }],
    });
    assert.equal(p.status, 201, JSON.stringify(p.body));
    const c = await env.api('POST', '/tmf-api/customerManagement/v4/customer', { engagedParty: { id: p.body.id, '@referredType': 'Individual' }, orgId, status: 'active' });
    assert.equal(c.status, 201, JSON.stringify(c.body));
    return c.body;
  };
  const one = await person('440106198506151239', '13800000001', 'GD-GZ-H01');
  const two = await person('44010619920229004X', '13900000002', 'GD-GZ-H02');
  const o = await env.api('POST', '/tmf-api/party/v4/organization', {
    name: '广州市欧阳明月文化传播有限公司', tradingName: '欧阳明月', orgId: 'GD-GZ',
    contactMedium: [{ mediumType: 'phone', characteristic: { phoneNumber: '020-81234567' } }],
  });
  assert.equal(o.status, 201, JSON.stringify(o.body));
  const firm = (await env.api('POST', '/tmf-api/customerManagement/v4/customer', { engagedParty: { id: o.body.id, '@referredType': 'Organization' }, orgId: 'GD-GZ', status: 'active' })).body;

  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.agent');
  await page.click('#search-input');
  await page.keyboard.type('欧阳明月');
  await page.waitForFunction(() => document.querySelectorAll('#search-listbox [role=option]').length === 4);
  const line = async (no) => page.textContent(`#search-listbox [role=option]:has-text("${no}")`);
  const a = await line(one.customerNo);
  assert.match(a, /Individual/);
  assert.match(a, /广州市第1营业厅/);
  assert.match(a, /138\*\*\*\*0001/, 'the phone masked for an agent');
  assert.ok(!a.includes('13800000001'));
  const b = await line(two.customerNo);
  assert.match(b, /广州市第2营业厅/);
  assert.match(b, /139\*\*\*\*0002/);
  const f = await line(firm.customerNo);
  assert.match(f, /Organisation/);
  assert.match(f, /广州市/);
  // the results page: the same, in columns
  await page.keyboard.press('Enter');
  await page.waitForSelector('table.list');
  const head = await page.$$eval('table.list th', (ths) => ths.map((th) => th.textContent));
  for (const h of ['Type', 'Org unit', 'Phone']) assert.ok(head.includes(h), head.join());
  const row = await page.textContent(`table.list tr:has-text("${two.customerNo}")`);
  assert.match(row, /Individual.*广州市第2营业厅.*139\*\*\*\*0002/);

  // the organisation by its registered name, which is not the customer's name
  await page.fill('#search-input', '欧阳明月文化传播有限公司');
  await page.waitForFunction(() => document.querySelectorAll('#search-listbox [role=option]:not([aria-disabled])').length === 2);
  const hit = await page.textContent('#search-listbox [role=option]');
  assert.ok(hit.includes(firm.customerNo), hit);
  assert.match(hit, /registered name 广州市欧阳明月文化传播有限公司/);
  assertClean(page);
});
