// Editing a customer: a bad mobile is shown at its field (client check), a bad fixed line
// from the server's 400 lands at its field too, then a good save; a change made by someone
// else in between gives the conflict message, keeps the input, and reload-and-reapply
// saves it. Creating a customer with an ID check and a server error by field. The engaged
// party's contact details on the same page: a new mobile saved on the person (found by
// search afterwards), masked values kept for a clerk, errors at the party's fields, and a
// conflict on the party.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, assertClean, login, someCustomers } from './helpers.mjs';

let customers;
const suite = serverAndBrowser({
  ready: async ({ env }) => {
    customers = await someCustomers(env, 'GD-GZ-H01', 6);
  },
});

test('a bad mobile is shown at the field, a server error too, then the save succeeds', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.account');
  const c = customers[0];
  await page.goto(`${suite.env.base}/customers/${c.id}/edit`);
  await page.waitForSelector('#f-mobile');
  await page.fill('#f-mobile', '1541234567');
  await page.click('button[type=submit]');
  await page.waitForSelector('#f-mobile-error');
  assert.equal(await page.textContent('#f-mobile-error'), 'A mobile number has 11 digits, not 10.');
  assert.equal(await page.getAttribute('#f-mobile', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'f-mobile');
  await page.fill('#f-mobile', '15412345678');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => /segment 154/.test(document.querySelector('#f-mobile-error')?.textContent || ''));
  // a fixed line the client does not check: the server's 400 names the field
  await page.fill('#f-mobile', '139 0000 1234');
  await page.fill('#f-phone', '12-34');
  await page.click('button[type=submit]');
  await page.waitForSelector('#f-phone-error');
  assert.ok((await page.textContent('#f-phone-error')).length > 0);
  assert.equal(await page.locator('#f-mobile-error').count(), 0);
  await page.fill('#f-phone', '');
  await page.selectOption('#f-segment', 'youth');
  await page.click('button[type=submit]');
  await page.waitForURL(new RegExp(`/customers/${c.id}$`));
  await page.waitForSelector('.alert.ok');
  assert.match(await page.textContent('[data-section=contacts]'), /13900001234/);
  assert.match(await page.textContent('[data-section=profile]'), /Youth/);
  const r = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  assert.equal(r.body.segment, 'youth');
  assertClean(page);
});

test('a change by someone else in between: conflict message, input kept, reload and re-apply', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  const c = customers[1];
  await page.goto(`${suite.env.base}/customers/${c.id}/edit`);
  await page.waitForSelector('#f-name');
  await page.fill('#f-email', 'new.mail@example.com');
  await page.selectOption('#f-customerRank', 'gold');
  // someone else renames the customer meanwhile
  const other = await suite.env.api('PATCH', `/tmf-api/customerManagement/v4/customer/${c.id}`, { name: `${c.name}（改）` });
  assert.equal(other.status, 200, JSON.stringify(other.body));
  await page.click('button[type=submit]');
  await page.waitForSelector('.alert.warn .conflict');
  const msg = await page.textContent('.alert.warn .conflict');
  assert.match(msg, /changed by someone else \(at .+ by admin\)/);
  assert.match(await page.textContent('.alert.warn'), /They changed: Name\./);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'conflict-reload', 'focus on the way out');
  assert.equal(await page.inputValue('#f-email'), 'new.mail@example.com', 'input kept');
  assert.equal(await page.inputValue('#f-customerRank'), 'gold');
  await page.click('text=Reload and re-apply my changes');
  assert.equal(await page.inputValue('#f-name'), `${c.name}（改）`, 'their change is in');
  assert.equal(await page.inputValue('#f-email'), 'new.mail@example.com', 'ours too');
  await page.click('button[type=submit]');
  await page.waitForURL(new RegExp(`/customers/${c.id}$`));
  const r = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  assert.equal(r.body.name, `${c.name}（改）`);
  assert.equal(r.body.customerRank, 'gold');
  assert.ok(r.body.contactMedium.some((m) => m.characteristic.emailAddress === 'new.mail@example.com'));
  assertClean(page);
});

test('status change from the 360 page, with a reason', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  const c = customers[2];
  await page.goto(`${suite.env.base}/customers/${c.id}`);
  await page.waitForSelector('[data-section=flags] button[data-status=suspended]');
  await page.click('[data-section=flags] button[data-status=suspended]');
  await page.click('#suspend-dialog input[value=arrears]');
  await page.click('#suspend-dialog button.danger');
  await page.waitForFunction(() => /Status changed to Suspended/.test(document.querySelector('[data-section=flags]')?.textContent || ''));
  assert.match(await page.textContent('[data-section=flags] .status-reason'), /Arrears/);
  const r = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  assert.equal(r.body.status, 'suspended');
  assert.equal(r.body.statusReason, 'arrears');
  // reactivating takes an optional reason, typed, and no dialog
  await page.fill('#status-reason', 'paid');
  await page.click('[data-section=flags] button[data-status=active]');
  await page.waitForFunction(() => /Status changed to Active/.test(document.querySelector('[data-section=flags]')?.textContent || ''));
  const a = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  assert.equal(a.body.status, 'active');
  assert.equal(a.body.statusReason, 'paid');
  assertClean(page);
});

test('create an individual: the ID check runs here, a taken ID comes back at its field, then the 360 opens', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.account');
  await page.goto(`${suite.env.base}/customers/new`);
  await page.waitForSelector('#n-familyName');
  await page.fill('#n-familyName', '测');
  await page.fill('#n-givenName', '试一');
  await page.fill('#n-idNumber', '110105194912310023');
  await page.fill('#n-mobile', '13812345678');
  await page.click('button[type=submit]');
  await page.waitForSelector('#n-idNumber-error');
  assert.equal(await page.textContent('#n-idNumber-error'), 'ID number check character should be X, not 3.');
  // an ID number that is valid but already taken: the server's 409 at the field
  await page.fill('#n-idNumber', customers[0].residentId);
  await page.click('button[type=submit]');
  await page.waitForFunction(() => (document.querySelector('#n-idNumber-error')?.textContent || '').length > 0 || document.querySelector('.alert.error'));
  await page.fill('#n-idNumber', '11010519491231002X');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-section=profile]');
  assert.equal(await page.textContent('#c360-title'), '测试一');
  assertClean(page);
});

test('create an organisation: the social credit code is checked here, then the 360 opens', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.account');
  await page.goto(`${suite.env.base}/customers/new`);
  await page.waitForSelector('#n-familyName');
  await page.check('input[name=kind][value=organization]');
  await page.fill('#n-tradingName', '广州测试科技');
  await page.fill('#n-orgName', '广州测试科技有限公司');
  await page.fill('#n-uscc', '91350100M000100Y44');
  await page.fill('#n-phone', '020-87654321');
  await page.click('button[type=submit]');
  await page.waitForSelector('#n-uscc-error');
  assert.equal(await page.textContent('#n-uscc-error'), 'Social credit code check character should be 3, not 4.');
  await page.fill('#n-uscc', '91350100m000100y43');
  await page.click('button[type=submit]');
  await page.waitForSelector('[data-section=party]');
  assert.equal(await page.textContent('#c360-title'), '广州测试科技');
  const party = await page.textContent('[data-section=party]');
  assert.ok(party.includes('91350100M000100Y43'), party);
  const contacts = await page.textContent('[data-section=contacts]');
  assert.ok(contacts.includes('020-87654321'), contacts);
  assertClean(page);
});

/** The engaged party of a customer, as admin: {path, body}. */
async function partyOf(customerId) {
  const c = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${customerId}`);
  const ep = c.body.engagedParty;
  const path = `/tmf-api/party/v4/${ep['@referredType'] === 'Organization' ? 'organization' : 'individual'}/${ep.id}`;
  const p = await suite.env.api('GET', path);
  assert.equal(p.status, 200, JSON.stringify(p.body));
  return { path, body: p.body };
}

const withoutMobile = (list) => JSON.stringify((list || []).filter((m) => m.mediumType !== 'mobile'));

test('the person’s mobile changed: saved on the party, the 360 shows it, search finds it', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.account');
  const c = customers[3];
  const before = await partyOf(c.id);
  const custBefore = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  await page.goto(`${suite.env.base}/customers/${c.id}/edit`);
  await page.waitForSelector('#p-mobile');
  assert.match(await page.textContent('fieldset.party-contact legend'), /Contact details of the person/);
  assert.equal(await page.inputValue('#p-mobile'), c.mobile);
  await page.fill('#p-mobile', '139 8765 4321');
  await page.click('button[type=submit]');
  await page.waitForURL(new RegExp(`/customers/${c.id}$`));
  await page.waitForSelector('.alert.ok');
  assert.match(await page.textContent('[data-section=contacts]'), /13987654321/);
  const after = await partyOf(c.id);
  assert.equal(after.body.version, before.body.version + 1);
  const mobiles = after.body.contactMedium.filter((m) => m.mediumType === 'mobile');
  assert.equal(mobiles[0].characteristic.phoneNumber, '13987654321');
  assert.equal(withoutMobile(after.body.contactMedium), withoutMobile(before.body.contactMedium), 'the other items as they were');
  const custAfter = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  assert.equal(custAfter.body.version, custBefore.body.version, 'the customer untouched');
  const s = await suite.env.api('GET', `/api/v1/search?q=13987654321`);
  assert.equal(s.status, 200);
  assert.ok(s.body.some((h) => h.id === c.id), JSON.stringify(s.body));
  assertClean(page);
});

test('a clerk without pii.read changes the person’s mobile and the customer’s segment: masked values kept', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  const c = customers[4];
  const before = await partyOf(c.id);
  await page.goto(`${suite.env.base}/customers/${c.id}/edit`);
  await page.waitForSelector('#p-mobile');
  assert.match(await page.inputValue('#p-mobile'), /\*/, 'masked for a clerk');
  await page.fill('#p-mobile', '13712340000');
  await page.selectOption('#f-segment', 'senior');
  await page.click('button[type=submit]');
  await page.waitForURL(new RegExp(`/customers/${c.id}$`));
  assert.match(await page.textContent('[data-section=contacts]'), /137\*+0000/);
  const after = await partyOf(c.id);
  assert.equal(after.body.contactMedium.find((m) => m.mediumType === 'mobile').characteristic.phoneNumber, '13712340000');
  assert.equal(withoutMobile(after.body.contactMedium), withoutMobile(before.body.contactMedium), 'stored e-mail and address kept');
  const r = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  assert.equal(r.body.segment, 'senior');
  assertClean(page);
});

test('a bad mobile or phone of the person: the error at the party’s field, nothing saved', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.account');
  const c = customers[5];
  const before = await partyOf(c.id);
  const custBefore = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  await page.goto(`${suite.env.base}/customers/${c.id}/edit`);
  await page.waitForSelector('#p-mobile');
  await page.fill('#p-mobile', '15412345678');
  await page.selectOption('#f-customerRank', 'gold');
  await page.click('button[type=submit]');
  await page.waitForFunction(() => /segment 154/.test(document.querySelector('#p-mobile-error')?.textContent || ''));
  assert.equal(await page.getAttribute('#p-mobile', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'p-mobile');
  assert.equal(await page.locator('#f-mobile-error').count(), 0, 'not at the customer’s own mobile');
  // a fixed line only the server checks: its 400 names contactMedium[i] of the party's array
  await page.fill('#p-mobile', c.mobile);
  await page.fill('#p-phone', '12-34');
  await page.click('button[type=submit]');
  await page.waitForSelector('#p-phone-error');
  assert.ok((await page.textContent('#p-phone-error')).length > 0);
  assert.equal(await page.locator('#f-phone-error').count(), 0);
  assert.equal(await page.inputValue('#f-customerRank'), 'gold', 'input kept');
  const after = await partyOf(c.id);
  assert.equal(after.body.version, before.body.version, 'the party not saved');
  const custAfter = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  assert.equal(custAfter.body.version, custBefore.body.version, 'nor the customer');
  assertClean(page);
});

test('the person changed by someone else in between: conflict message, input kept, reload and re-apply', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  const c = customers[3];
  await page.goto(`${suite.env.base}/customers/${c.id}/edit`);
  await page.waitForSelector('#p-mobile');
  await page.fill('#p-mobile', '13811112222');
  await page.selectOption('#f-customerRank', 'silver');
  // someone else changes the person's e-mail meanwhile
  const p = await partyOf(c.id);
  const list = (p.body.contactMedium || []).filter((m) => m.mediumType !== 'email');
  list.push({ mediumType: 'email', characteristic: { emailAddress: 'their.change@example.com' } });
  const other = await suite.env.api('PATCH', p.path, { contactMedium: list });
  assert.equal(other.status, 200, JSON.stringify(other.body));
  const custBefore = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  await page.click('button[type=submit]');
  await page.waitForSelector('.alert.warn .conflict');
  assert.match(await page.textContent('.alert.warn .conflict'), /person or organisation were changed by someone else \(at .+ by admin\)/);
  assert.match(await page.textContent('.alert.warn'), /They changed: Contact details\./);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'conflict-reload');
  assert.equal(await page.inputValue('#p-mobile'), '13811112222', 'input kept');
  assert.equal(await page.inputValue('#f-customerRank'), 'silver');
  const custMid = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  assert.equal(custMid.body.version, custBefore.body.version, 'the customer not saved either');
  await page.click('text=Reload and re-apply my changes');
  assert.equal(await page.inputValue('#p-email'), 'their.change@example.com', 'their change is in');
  assert.equal(await page.inputValue('#p-mobile'), '13811112222', 'ours too');
  await page.click('button[type=submit]');
  await page.waitForURL(new RegExp(`/customers/${c.id}$`));
  const after = await partyOf(c.id);
  assert.equal(after.body.contactMedium.find((m) => m.mediumType === 'mobile').characteristic.phoneNumber, '13811112222');
  assert.equal(after.body.contactMedium.find((m) => m.mediumType === 'email').characteristic.emailAddress, 'their.change@example.com');
  const r = await suite.env.api('GET', `/tmf-api/customerManagement/v4/customer/${c.id}`);
  assert.equal(r.body.customerRank, 'silver');
  assertClean(page);
});
