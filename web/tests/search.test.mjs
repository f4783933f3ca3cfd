// Search: by the last 4 digits of a phone and by name, the keyboard (/, Ctrl+K, arrows,
// Enter, Escape), and the 360° page it opens, with its sections.
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
