// Data scope by depth in the browser: the roles pages show each permission's depth (in the
// user's language) and an administrator sets it per permission, saved as "depths", never
// beyond their own reach; registering someone registered already leads to the existing
// customer (or customers) when the server names the party (conflictsWith) and keeps what
// was typed for the way back, and says only the message otherwise; a customer of another
// hall of the province is read-only for a clerk, saying where it belongs, as are the own
// details of a person of another hall; a change the server refuses anyway shows its
// message; a user who changes only the customers they look after sees another's as not
// theirs, and theirs as changeable; every API request carries the UI's language as
// Accept-Language. Console errors fail each test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, assertClean, login, cli, someCustomers, PASSWORD } from './helpers.mjs';

let own;
let other;
const suite = serverAndBrowser({
  ready: async ({ env }) => {
    own = await someCustomers(env, 'GD-GZ-H01', 2);
    other = await someCustomers(env, 'GD-GZ-H02', 4);
  },
});

const CUSTOMER = (id) => `/tmf-api/customerManagement/v4/customer/${id}`;

/** A unified social credit code: the 17 characters and their check character (GB 32100). */
function uscc(first17) {
  const set = '0123456789ABCDEFGHJKLMNPQRTUWXY';
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = [...first17].reduce((a, ch, i) => a + set.indexOf(ch) * w[i], 0);
  return first17 + set[(31 - (sum % 31)) % 31];
}

test('the roles list shows each permission’s depth, in the user’s language', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  await page.goto(`${suite.env.base}/admin/roles`);
  await page.waitForSelector('[data-role=clerk] li[data-perm="customer.read"]');
  const read = page.locator('[data-role=clerk] li[data-perm="customer.read"]');
  assert.equal(await read.getAttribute('data-depth'), 'province');
  assert.match(await read.locator('.depth').textContent(), /province/);
  const write = page.locator('[data-role=clerk] li[data-perm="customer.write"]');
  assert.equal(await write.getAttribute('data-depth'), 'unitAndBelow');
  assert.match(await write.locator('.depth').textContent(), /unit and below/);
  await page.selectOption('header.top select', 'zh-CN');
  await page.waitForFunction(() => /本省/.test(document.querySelector('[data-role=clerk] li[data-perm="customer.read"] .depth')?.textContent || ''));
  assert.match(await write.locator('.depth').textContent(), /本单位及下级/);
  assertClean(page);
});

test('an administrator sets a permission’s depth when editing and creating a role; saving sends "depths"', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  const sent = [];
  page.on('request', (r) => /\/api\/v1\/roles/.test(r.url()) && ['POST', 'PATCH'].includes(r.method()) && sent.push(JSON.parse(r.postData())));

  // editing: the analyst reads customers of the whole operator, not only of its unit and below
  await page.goto(`${suite.env.base}/admin/roles/analyst`);
  await page.waitForSelector('#r-depth-customer-read');
  assert.equal(await page.inputValue('#r-depth-customer-read'), 'unitAndBelow', 'the default');
  assert.equal(await page.locator('#r-depth-audit-read').count(), 0, 'no depth for a permission not granted');
  const labels = await page.$$eval('#r-depth-customer-read option', (os) => os.map((o) => o.textContent));
  assert.deepEqual(labels, ['own records', 'unit', 'unit and below', 'province', 'everything']);
  await page.selectOption('#r-depth-customer-read', 'all');
  await page.click('#role-form button[type=submit]');
  await page.waitForURL(/\/admin\/roles$/);
  assert.deepEqual(sent.pop(), { depths: [{ permission: 'customer.read', depth: 'all' }] });
  assert.equal(await page.getAttribute('[data-role=analyst] li[data-perm="customer.read"]', 'data-depth'), 'all');
  let r = await suite.env.api('GET', '/api/v1/roles/analyst');
  assert.deepEqual(r.body.depths, [{ permission: 'customer.read', depth: 'all' }]);

  // a newly granted permission starts at the default; back to the default, the list empties
  await page.goto(`${suite.env.base}/admin/roles/analyst`);
  await page.waitForSelector('#r-depth-customer-read');
  assert.equal(await page.inputValue('#r-depth-customer-read'), 'all');
  await page.check('#r-perm-audit-read');
  assert.equal(await page.inputValue('#r-depth-audit-read'), 'unitAndBelow');
  await page.selectOption('#r-depth-customer-read', 'unitAndBelow');
  await page.click('#role-form button[type=submit]');
  await page.waitForURL(/\/admin\/roles$/);
  const patch = sent.pop();
  assert.deepEqual(patch.depths, []);
  assert.ok(patch.permissions.includes('audit.read'));
  r = await suite.env.api('GET', '/api/v1/roles/analyst');
  assert.ok(!r.body.depths?.length, JSON.stringify(r.body.depths));

  // creating: a team lead changing customers of the unit alone, reading the province's
  await page.goto(`${suite.env.base}/admin/roles/new`);
  await page.waitForSelector('#r-id');
  await page.fill('#r-id', 'team_lead');
  await page.fill('#r-name', 'Team lead');
  await page.check('#r-perm-customer-read');
  await page.check('#r-perm-customer-write');
  await page.selectOption('#r-depth-customer-read', 'province');
  await page.selectOption('#r-depth-customer-write', 'unit');
  // a permission taken away takes its depth with it
  await page.check('#r-perm-ticket-handle');
  await page.selectOption('#r-depth-ticket-handle', 'all');
  await page.uncheck('#r-perm-ticket-handle');
  await page.click('#role-form button[type=submit]');
  await page.waitForURL(/\/admin\/roles$/);
  const post = sent.pop();
  assert.deepEqual(post.permissions, ['customer.read', 'customer.write']);
  assert.deepEqual(post.depths, [
    { permission: 'customer.read', depth: 'province' },
    { permission: 'customer.write', depth: 'unit' },
  ]);
  r = await suite.env.api('GET', '/api/v1/roles/team_lead');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.depths, post.depths);
  assert.match(await page.textContent('[data-role=team_lead] li[data-perm="customer.write"] .depth'), /unit/);
  assertClean(page);
});

test('a depth beyond the administrator’s own reach cannot be chosen', async () => {
  const r = await suite.env.api('POST', '/api/v1/roles', {
    id: 'role_keeper',
    name: 'Role keeper',
    permissions: ['admin.roles', 'customer.read'],
    depths: [{ permission: 'customer.read', depth: 'unit' }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  cli(['user', 'add', '--login', 'hq.roles', '--role', 'role_keeper', '--org', 'HQ', '--password-stdin', '--db', suite.env.db], `${PASSWORD}\n`);
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'hq.roles');
  await page.goto(`${suite.env.base}/admin/roles/new`);
  await page.waitForSelector('#r-perm-customer-read');
  await page.check('#r-perm-customer-read');
  await page.waitForFunction(() => document.querySelector('#r-depth-customer-read option[value=all]')?.disabled);
  const off = await page.$$eval('#r-depth-customer-read option', (os) => os.filter((o) => o.disabled).map((o) => o.value));
  // the caller reaches the unit alone with it; the default stays as the server takes it
  assert.deepEqual(off, ['province', 'all']);
  // at HQ the unit and below is everything: any depth of a permission held at the default
  await page.check('#r-perm-admin-roles');
  assert.equal(await page.locator('#r-depth-admin-roles option[disabled]').count(), 0);
  assertClean(page);
});

/** Fills the new-customer form with a person holding a resident ID. */
async function fillPerson(page, residentId) {
  await page.goto(`${suite.env.base}/customers/new`);
  await page.waitForSelector('#n-idNumber');
  await page.fill('#n-familyName', '测');
  await page.fill('#n-givenName', '试');
  await page.fill('#n-idNumber', residentId);
  await page.fill('#n-mobile', '13712340001');
  await page.fill('#n-street1', '体育西路 1 号');
}

test('registering someone registered already: the server’s message and the way to the existing customer; going back keeps what was typed', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  const c = other[0]; // of another hall of the province: readable by a clerk
  const v = await suite.env.api('GET', `/api/v1/customers/${c.id}/360`);
  const party = v.body.sections.find((s) => s.name === 'party').data;
  await fillPerson(page, c.residentId);
  await page.click('button[type=submit]');
  await page.waitForSelector('#existing a >> text=Open the existing record');
  assert.match(await page.textContent('#existing .existing-message'), /registered already, to '.*'; open that record instead/);
  assert.equal(await page.textContent('#n-idNumber-error'), 'Registered already.');
  assert.equal(await page.getAttribute('#existing a', 'href'), `/customers/${c.id}`);
  const r = await suite.env.api('GET', `/tmf-api/party/v4/individual?familyName=${encodeURIComponent('测')}`);
  assert.equal(r.body.length, 0, 'no second person registered');

  await page.click('#existing a');
  await page.waitForSelector(`[data-customer="${c.id}"] [data-section=party]`);
  assert.match(await page.textContent('[data-section=party]'), new RegExp(party.fullName));
  // back: the form as it was typed
  await page.goBack();
  await page.waitForSelector('#n-idNumber');
  assert.equal(await page.inputValue('#n-familyName'), '测');
  assert.equal(await page.inputValue('#n-givenName'), '试');
  assert.equal(await page.inputValue('#n-idNumber'), c.residentId);
  assert.equal(await page.inputValue('#n-mobile'), '13712340001');
  assert.equal(await page.inputValue('#n-street1'), '体育西路 1 号');
  assert.equal(await page.locator('#existing a').count(), 1, 'the way to it is still there');
  // a new visit starts empty
  await page.click('nav >> text=Home');
  await page.click('nav >> text=New customer');
  await page.waitForFunction(() => document.querySelector('#n-familyName')?.value === '');
  assert.equal(await page.inputValue('#n-idNumber'), '');
  assertClean(page);
});

test('registering someone registered in another province: the message only, no way to a record', async () => {
  const bj = await someCustomers(suite.env, 'BJ-CY-H01', 1);
  const page = await newPage(suite.browser, { locale: 'zh-CN' });
  await login(page, suite.env.base, 'gz.clerk');
  await fillPerson(page, bj[0].residentId);
  await page.click('button[type=submit]');
  await page.waitForSelector('#existing');
  assert.equal(await page.getAttribute('#existing', 'data-existing'), 'elsewhere');
  // the server's own words, in the language the app asked for
  assert.match(await page.textContent('#existing .existing-message'), /已在其他省份登记/);
  assert.equal(await page.locator('#existing a').count(), 0);
  assert.equal(await page.textContent('#n-idNumber-error'), '已登记。');
  // another number is another question
  await page.fill('#n-idNumber', '440106198506151239');
  assert.equal(await page.locator('#existing').count(), 0);
  assertClean(page);
});

test('a registered organisation with no customer account: its message, and that there is none to open', async () => {
  const code = uscc('91440101MA59ABCD1');
  const org = await suite.env.api('POST', '/tmf-api/party/v4/organization', {
    tradingName: '广州测试科技',
    organizationIdentification: [{ identificationType: 'unifiedSocialCreditCode', identificationId: code }],
    orgId: 'GD-GZ-H01',
  });
  assert.equal(org.status, 201, JSON.stringify(org.body));
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  await page.goto(`${suite.env.base}/customers/new`);
  await page.check('input[name=kind][value=organization]');
  await page.fill('#n-tradingName', '广州测试科技有限公司');
  await page.fill('#n-uscc', code);
  await page.click('button[type=submit]');
  await page.waitForSelector('#existing >> text=This organisation is registered, but has no customer account you can open.');
  assert.match(await page.textContent('#existing .existing-message'), /this social credit code is registered already/);
  assert.equal(await page.locator('#existing a').count(), 0);
  assert.equal(await page.textContent('#n-uscc-error'), 'Registered already.');
  assertClean(page);
});

test('a clerk opens a customer of another hall: read-only, saying where it belongs; their own hall’s customer can be changed', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  const c = other[1];
  await page.goto(`${suite.env.base}/customers/${c.id}`);
  await page.waitForSelector('#readonly-note');
  assert.equal(await page.textContent('#readonly-note'), 'Belongs to 广州市第2营业厅; changes are made there.');
  await page.waitForSelector('[data-section=flags]');
  assert.equal(await page.locator(`a[href="/customers/${c.id}/edit"]`).count(), 0, 'no Edit');
  assert.equal(await page.locator('[data-section=flags] .status-change').count(), 0, 'no suspend or terminate');
  assert.match(await page.textContent('[data-section=profile]'), /广州市第2营业厅/);
  // the edit page by its address: the same note, no form
  await page.goto(`${suite.env.base}/customers/${c.id}/edit`);
  await page.waitForSelector('#readonly-note');
  assert.equal(await page.locator('form').count(), 0);
  assert.equal(await page.locator('#f-blacklisted').count(), 0, 'no blacklisting');
  // in Chinese
  await page.selectOption('header.top select', 'zh-CN');
  await page.waitForFunction(() => /属于广州市第2营业厅；如需修改，请由该单位办理。/.test(document.querySelector('#readonly-note')?.textContent || ''));

  // the clerk's own hall: Edit and the status changes
  await page.goto(`${suite.env.base}/customers/${own[0].id}`);
  await page.waitForSelector(`a[href="/customers/${own[0].id}/edit"]`);
  await page.waitForSelector('[data-section=flags] button[data-status=suspended]');
  assert.equal(await page.locator('#readonly-note').count(), 0);
  assertClean(page);
});

test('a customer of the clerk’s hall engaging a person of another hall: the person’s own details stay read-only; registering the person again lists both customers', async () => {
  const c = other[3];
  const v = await suite.env.api('GET', `/api/v1/customers/${c.id}/360`);
  const party = v.body.sections.find((s) => s.name === 'party').data;
  const made = await suite.env.api('POST', '/tmf-api/customerManagement/v4/customer', {
    engagedParty: { id: party.id, '@referredType': 'Individual' },
    orgId: 'GD-GZ-H01',
    status: 'active',
  });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  await page.goto(`${suite.env.base}/customers/${made.body.id}/edit`);
  await page.waitForSelector('#f-name');
  assert.equal(await page.locator('#readonly-note').count(), 0, 'the customer is the hall’s');
  assert.equal(await page.locator('#p-mobile').count(), 0, 'no field of the person’s own details');
  assert.match(await page.textContent('#party-elsewhere'), /belong to GD-GZ-H02 and are changed there/);
  assert.match(await page.textContent('.party-contacts'), /Mobile/);

  await fillPerson(page, c.residentId);
  await page.click('button[type=submit]');
  await page.waitForSelector('#existing .existing-list a');
  assert.match(await page.textContent('#existing'), /Open the existing record — it has several customer accounts/);
  const hrefs = await page.$$eval('#existing .existing-list a', (as) => as.map((a) => a.getAttribute('href')).sort());
  assert.deepEqual(hrefs, [`/customers/${c.id}`, `/customers/${made.body.id}`].sort());
  assertClean(page);
});

test('a customer moved to another hall while its page is open: the change answers that someone else changed it, and the page turns read-only', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  const c = own[1];
  await page.goto(`${suite.env.base}/customers/${c.id}`);
  await page.waitForSelector('[data-section=flags] button[data-status=suspended]');
  const r = await suite.env.api('PATCH', CUSTOMER(c.id), { orgId: 'GD-GZ-H02' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await page.click('[data-section=flags] button[data-status=suspended]');
  await page.check('#suspend-dialog input[value=arrears]');
  await page.click('#suspend-dialog button.danger');
  await page.waitForSelector('#readonly-note');
  assert.match(await page.textContent('#readonly-note'), /Belongs to 广州市第2营业厅/);
  assert.equal(await page.locator('[data-section=flags] button[data-status=suspended]').count(), 0);
  assert.equal((await suite.env.api('GET', CUSTOMER(c.id))).body.status, 'active');
  assertClean(page);
});

test('a change the server refuses anyway (403) shows its message, never "not found"', async () => {
  // a role reading everything and changing customers of its province: a Beijing customer is
  // readable, and whether it can be changed is the server's to say (its unit is not shown)
  let r = await suite.env.api('POST', '/api/v1/roles', {
    id: 'wide_reader',
    name: 'Wide reader',
    permissions: ['customer.read', 'customer.write'],
    depths: [
      { permission: 'customer.read', depth: 'all' },
      { permission: 'customer.write', depth: 'province' },
    ],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  cli(['user', 'add', '--login', 'gz.wide', '--role', 'wide_reader', '--org', 'GD-GZ-H01', '--password-stdin', '--db', suite.env.db], `${PASSWORD}\n`);
  const [bj] = await someCustomers(suite.env, 'BJ-CY-H01', 1);
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.wide');
  // another hall of the province: changed here
  await page.goto(`${suite.env.base}/customers/${other[2].id}`);
  await page.waitForSelector(`a[href="/customers/${other[2].id}/edit"]`);
  await page.goto(`${suite.env.base}/customers/${bj.id}`);
  await page.waitForSelector('[data-section=flags] button[data-status=suspended]');
  await page.click('[data-section=flags] button[data-status=suspended]');
  await page.check('#suspend-dialog input[value=arrears]');
  await page.click('#suspend-dialog button.danger');
  await page.waitForSelector('#suspend-dialog [role=alert]');
  const text = await page.textContent('#suspend-dialog [role=alert]');
  assert.match(text, /belongs to unit 'BJ-CY-H01', whose records you may see but not change/);
  assert.doesNotMatch(text, /not found/i);
  // and the edit page's save
  await page.keyboard.press('Escape');
  await page.goto(`${suite.env.base}/customers/${bj.id}/edit`);
  await page.waitForSelector('#f-segment');
  const before = (await suite.env.api('GET', CUSTOMER(bj.id))).body;
  await page.selectOption('#f-segment', before.segment === 'business' ? 'family' : 'business');
  await page.click('button[type=submit]');
  await page.waitForSelector('.alert.error');
  assert.match(await page.textContent('.alert.error'), /whose records you may see but not change/);
  const after = (await suite.env.api('GET', CUSTOMER(bj.id))).body;
  assert.equal(after.version, before.version, 'nothing changed');
  // the browser's own log lines of the two refusals caused here
  page.problems = page.problems.filter((p) => !/status of 403/.test(p));
  assertClean(page);
});

test('every API request carries the UI’s language as Accept-Language', async () => {
  const page = await newPage(suite.browser, { locale: 'zh-CN' });
  const seen = [];
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (/^\/(api|tmf-api)\//.test(u.pathname)) seen.push({ path: u.pathname, method: r.method(), lang: r.headers()['accept-language'] });
  });
  await page.goto(`${suite.env.base}/customers/${own[0].id}`);
  await page.waitForSelector('#login-name');
  await page.fill('#login-name', 'gz.clerk');
  await page.fill('#login-password', PASSWORD);
  await page.press('#login-password', 'Enter');
  await page.waitForSelector('[data-section=profile]');
  assert.ok(seen.length >= 3, JSON.stringify(seen));
  assert.deepEqual(seen.filter((s) => s.lang !== 'zh-CN'), [], 'all in Chinese');
  assert.ok(seen.some((s) => s.method === 'POST' && s.path === '/api/v1/session'));
  seen.length = 0;
  await page.selectOption('header.top select', 'en');
  await page.fill('header.top input[type=search]', own[0].customerNo);
  await page.waitForSelector('[role=listbox] [role=option]');
  assert.ok(seen.length >= 1);
  assert.deepEqual(seen.filter((s) => s.lang !== 'en'), [], 'all in English after the switch');
  assertClean(page);
});

test('a user who changes only the customers they look after sees another’s as not theirs', async () => {
  let r = await suite.env.api('POST', '/api/v1/roles', {
    id: 'own_writer', name: 'Own writer', permissions: ['customer.read', 'customer.write'],
    depths: [{ permission: 'customer.read', depth: 'province' }, { permission: 'customer.write', depth: 'own' }],
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  r = await suite.env.api('POST', '/api/v1/users', { login: 'gz.own', displayName: 'GZ own', orgId: 'GD-GZ-H01', roles: ['own_writer'], password: PASSWORD });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const userId = r.body.id;
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.own');
  // of its own hall, and still not theirs
  await page.goto(`${suite.env.base}/customers/${own[0].id}`);
  await page.waitForSelector('#readonly-note');
  assert.match(await page.textContent('#readonly-note'), /colleague/);
  assert.equal(await page.locator('a[href$="/edit"]').count(), 0, 'no edit link');
  // assigned to them, it is theirs to change
  r = await suite.env.api('PATCH', CUSTOMER(own[0].id), { ownerId: userId });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await page.goto(`${suite.env.base}/customers/${own[0].id}`);
  await page.waitForSelector('a[href$="/edit"]');
  assert.equal(await page.locator('#readonly-note').count(), 0);
  assertClean(page);
});
