// A counter clerk's day: suspending and terminating a customer each ask for a reason and a
// confirmation, and the reason goes with the change; after a termination the churn section
// agrees with the status; blacklisting asks too; the history names fields and actions in
// the user's language with the values before and after, the person's changes included; a
// resident ID fills in birth date and gender; dates as each language writes them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, assertClean, login, someCustomers } from './helpers.mjs';

let customers;
const suite = serverAndBrowser({
  ready: async ({ env }) => {
    customers = await someCustomers(env, 'GD-GZ-H01', 6);
  },
});

const CUSTOMER = (id) => `/tmf-api/customerManagement/v4/customer/${id}`;
const get = async (id) => (await suite.env.api('GET', CUSTOMER(id))).body;

/** Today in the browser's time zone, as the termination records it. */
function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

test('suspending asks for a reason and a confirmation; Escape or Cancel changes nothing; a typed reason goes with the change', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  const c = customers[0];
  await page.goto(`${suite.env.base}/customers/${c.id}`);
  await page.waitForSelector('[data-section=flags] button[data-status=suspended]');
  await page.click('[data-section=flags] button[data-status=suspended]');
  await page.waitForSelector('#suspend-dialog[open]');
  assert.equal(await page.textContent('#suspend-dialog h2'), `Suspend customer ${c.name}?`);
  const offered = await page.$$eval('#suspend-dialog input[type=radio]', (rs) => rs.map((r) => r.value));
  assert.deepEqual(offered, ['arrears', 'lost or stolen', 'customer request', 'suspected fraud', 'other']);
  // Escape: no change
  await page.keyboard.press('Escape');
  await page.waitForSelector('#suspend-dialog', { state: 'detached' });
  assert.equal((await get(c.id)).status, 'active');
  // no reason: refused in the dialog
  await page.click('[data-section=flags] button[data-status=suspended]');
  await page.click('#suspend-dialog button.danger');
  assert.equal(await page.textContent('#suspend-dialog [role=alert]'), 'Choose a reason, or type one.');
  assert.equal((await get(c.id)).status, 'active');
  // another reason, typed
  await page.check('#suspend-dialog input[value=other]');
  await page.click('#suspend-dialog button.danger');
  assert.equal(await page.textContent('#suspend-dialog [role=alert]'), 'Choose a reason, or type one.');
  await page.fill('#suspend-dialog-typed', '客户出国半年');
  await page.click('#suspend-dialog button.danger');
  await page.waitForSelector('#suspend-dialog', { state: 'detached' });
  await page.waitForFunction(() => /Status changed to Suspended/.test(document.querySelector('[data-section=flags]')?.textContent || ''));
  const r = await get(c.id);
  assert.equal(r.status, 'suspended');
  assert.equal(r.statusReason, '客户出国半年');
  assert.match(await page.textContent('[data-section=flags] .status-reason'), /客户出国半年/);
  assertClean(page);
});

test('terminating asks for a reason (and the operator of a ported number) and a confirmation; the churn section then agrees', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  const c = customers[1];
  await page.goto(`${suite.env.base}/customers/${c.id}`);
  await page.waitForSelector('[data-section=flags] button[data-status=inactive]');
  assert.match(await page.textContent('[data-section=churn]'), /Not churned: the customer is Active\./);
  await page.click('[data-section=flags] button[data-status=inactive]');
  await page.waitForSelector('#terminate-dialog[open]');
  assert.match(await page.textContent('#terminate-dialog'), /This is final/);
  await page.click('#terminate-dialog >> text=Cancel');
  await page.waitForSelector('#terminate-dialog', { state: 'detached' });
  assert.equal((await get(c.id)).status, 'active', 'one click terminates nothing');

  await page.click('[data-section=flags] button[data-status=inactive]');
  await page.check('#terminate-dialog input[value="ported out"]');
  await page.selectOption('#terminate-dialog-detail', 'China Unicom');
  await page.click('#terminate-dialog button.danger');
  await page.waitForFunction(() => /Status changed to Inactive/.test(document.querySelector('[data-section=flags]')?.textContent || ''));
  const r = await get(c.id);
  assert.equal(r.status, 'inactive');
  assert.equal(r.statusReason, 'ported out');
  assert.equal(r.churn.reason, 'ported out');
  assert.equal(r.churn.portedToOperator, 'China Unicom');
  assert.ok(r.churn.churnDate.startsWith(today()), r.churn.churnDate);
  // the churn section and the status tell the same story
  const churn = await page.textContent('[data-section=churn]');
  assert.doesNotMatch(churn, /Not churned/);
  assert.match(churn, /Number ported to another operator/);
  assert.match(churn, /China Unicom/);
  assert.equal(await page.getAttribute('[data-section=churn] dl', 'data-churn'), 'churned');
  assert.match(await page.textContent('[data-section=flags]'), /No further status change is possible/);
  assertClean(page);
});

test('a customer made inactive without a churn record: the churn section says terminated, with the reason', async () => {
  const c = customers[2];
  const r = await suite.env.api('PATCH', CUSTOMER(c.id), { status: 'inactive', statusReason: 'relocation' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const page = await newPage(suite.browser, { locale: 'zh-CN' });
  await login(page, suite.env.base, 'gz.clerk');
  await page.goto(`${suite.env.base}/customers/${c.id}`);
  await page.waitForSelector('[data-section=churn]');
  const churn = await page.textContent('[data-section=churn]');
  assert.doesNotMatch(churn, /未离网/);
  assert.match(churn, /客户已离网（销户）/);
  assert.match(churn, /迁居外地/);
  assertClean(page);
});

test('blacklisting asks for a reason from the list and a confirmation; the reason is saved with it', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.account');
  const c = customers[3];
  await page.goto(`${suite.env.base}/customers/${c.id}/edit`);
  await page.waitForSelector('#f-blacklisted');
  await page.check('#f-blacklisted');
  await page.click('button[type=submit]');
  await page.waitForSelector('#f-blacklistReason-error');
  assert.equal(await page.textContent('#f-blacklistReason-error'), 'Required.');
  await page.selectOption('#f-blacklistReason', 'false identity');
  await page.click('button[type=submit]');
  await page.waitForSelector('#blacklist-dialog[open]');
  assert.match(await page.textContent('#blacklist-dialog'), /Blacklist customer .*\?.*False identity documents/);
  await page.click('#blacklist-dialog >> text=Cancel');
  assert.equal((await get(c.id)).blacklisted, false, 'nothing saved before the confirmation');
  await page.click('button[type=submit]');
  await page.click('#blacklist-dialog button.danger');
  await page.waitForURL(new RegExp(`/customers/${c.id}$`));
  await page.waitForSelector('[data-section=flags]');
  assert.match(await page.textContent('[data-section=flags]'), /False identity documents/);
  const r = await get(c.id);
  assert.equal(r.blacklisted, true);
  assert.equal(r.blacklistReason, 'false identity');
  assertClean(page);
});

test('the history: translated labels and actions, the values before and after, and the person’s changes', async () => {
  const env = suite.env;
  const c = customers[4];
  assert.equal((await env.api('PATCH', CUSTOMER(c.id), { status: 'suspended', statusReason: 'arrears' })).status, 200);
  const v = await env.api('GET', `/api/v1/customers/${c.id}/360`);
  const party = v.body.sections.find((s) => s.name === 'party').data;
  const media = party.contactMedium.map((m) => (m.mediumType === 'mobile' ? { ...m, characteristic: { phoneNumber: '13912340000' } } : m));
  const pr = await env.api('PATCH', `/tmf-api/party/v4/individual/${party.id}`, { contactMedium: media });
  assert.equal(pr.status, 200, JSON.stringify(pr.body));

  const page = await newPage(suite.browser);
  await login(page, env.base, 'admin');
  await page.goto(`${env.base}/customers/${c.id}`);
  await page.waitForSelector('[data-section=audit] tr[data-resource=individual][data-action=update]');
  const person = await page.textContent('[data-section=audit] tr[data-resource=individual][data-action=update]');
  assert.match(person, /Person changed/);
  assert.match(person, new RegExp(`Contact details.*Mobile ${c.mobile}.*Mobile 13912340000`));
  const status = await page.textContent('[data-section=audit] tr[data-resource=customer][data-action=update] li[data-field=status]');
  assert.equal(status, 'Status Before: Active → , After: Suspended');
  const reason = await page.textContent('[data-section=audit] tr[data-resource=customer][data-action=update] li[data-field=statusReason]');
  assert.equal(reason, 'Reason for the status Before: (none) → , After: Arrears');
  // newest first: the person's change, then the customer's
  const order = await page.$$eval('[data-section=audit] tr[data-resource]', (rs) => rs.map((r) => r.dataset.resource));
  assert.deepEqual(order.slice(0, 2), ['individual', 'customer']);
  const all = await page.textContent('[data-section=audit]');
  for (const raw of ['statusReason', 'contactMedium', 'update', 'create']) assert.ok(!all.includes(raw), `no raw "${raw}" in ${all}`);
  // in Chinese
  await page.selectOption('header.top select', 'zh-CN');
  await page.waitForSelector('[data-section=audit] >> text=修改个人资料');
  const zh = await page.textContent('[data-section=audit] tr[data-resource=customer][data-action=update]');
  assert.match(zh, /修改客户/);
  assert.match(zh, /状态.*在网.*停机/);
  assert.match(zh, /状态原因.*（无）.*欠费/);
  assert.match(zh, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  assertClean(page);
});

test('a resident ID fills in birth date and gender, which stay editable', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.account');
  await page.goto(`${suite.env.base}/customers/new`);
  await page.waitForSelector('#n-idNumber');
  await page.fill('#n-familyName', '林');
  await page.fill('#n-givenName', '晓');
  await page.fill('#n-idNumber', '44010619850615123'); // 17 characters: nothing yet
  assert.equal(await page.inputValue('#n-birthDate'), '');
  await page.fill('#n-idNumber', '440106198506151239');
  assert.equal(await page.inputValue('#n-birthDate'), '1985-06-15');
  assert.equal(await page.inputValue('#n-gender'), 'male', 'character 17 odd: a man');
  assert.match(await page.textContent('#n-birthDate-hint'), /Filled in from the ID number/);
  // another number: another person; an even character 17 is a woman
  await page.fill('#n-idNumber', '44010619920229004X');
  assert.equal(await page.inputValue('#n-birthDate'), '1992-02-29');
  assert.equal(await page.inputValue('#n-gender'), 'female');
  // corrected by hand, kept
  await page.selectOption('#n-gender', 'other');
  await page.fill('#n-mobile', '13712345679');
  assert.equal(await page.inputValue('#n-gender'), 'other');
  assert.equal(await page.locator('#n-birthDate-hint').count(), 0);
  // a passport says nothing of either
  await page.selectOption('#n-idType', 'passport');
  assert.equal(await page.inputValue('#n-gender'), 'other');
  await page.selectOption('#n-idType', 'residentId');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-section=party]');
  const id = new URL(page.url()).pathname.split('/').pop();
  const v = await suite.env.api('GET', `/api/v1/customers/${id}/360`);
  const party = v.body.sections.find((s) => s.name === 'party').data;
  assert.equal(party.gender, 'other');
  assert.ok(party.birthDate.startsWith('1992-02-29'), party.birthDate);
  assertClean(page);
});

test('dates as each language writes them: 2026-12-02 in Chinese, 2 Dec 2026 in English', async () => {
  const c = customers[5];
  const birth = c.residentId.slice(6, 14);
  const zhDate = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`;
  const enDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${zhDate}T00:00:00Z`));
  const page = await newPage(suite.browser, { locale: 'zh-CN' });
  await login(page, suite.env.base, 'gz.account');
  await page.goto(`${suite.env.base}/customers/${c.id}`);
  await page.waitForSelector('[data-section=party]');
  assert.match(await page.textContent('[data-section=party]'), new RegExp(`出生日期${zhDate}`));
  const zh = await page.textContent('[data-section=profile]');
  assert.match(zh, /入网时间\d{4}-\d{2}-\d{2}/);
  assert.match(zh, /\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/);
  assert.ok(!zh.includes('/'), zh);
  await page.selectOption('header.top select', 'en');
  await page.waitForSelector('[data-section=party] >> text=Birth date');
  assert.match(await page.textContent('[data-section=party]'), new RegExp(`Birth date${enDate}`));
  assert.match(await page.textContent('[data-section=profile]'), /Customer since\d{1,2} [A-Z][a-z]{2} \d{4}/);
  assertClean(page);
});
