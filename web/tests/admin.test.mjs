// Administration: an admin creates a user with a role (policy and server errors shown at
// their fields) and the user can log in; disabling a user blocks their login; unlocking a
// locked account and resetting a password; a role's permission change shows in the list;
// a grant the server refuses ("no climbing") is said plainly; a unit created in the org
// tree shows in it (and the tree works by keyboard); the audit log filtered by actor
// shows the admin's changes with before/after; a clerk sees no Administration and gets
// the not-found page by URL; the pages fit a 768 px screen. Console errors fail each test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serverAndBrowser, newPage, assertClean, login, cli, PASSWORD } from './helpers.mjs';

const suite = serverAndBrowser({ customers: 100 });

/** Logs in on a fresh page; resolves to the alert text on failure, '' on success. */
async function tryLogin(loginName, password = PASSWORD) {
  const page = await newPage(suite.browser);
  await page.goto(`${suite.env.base}/login`);
  await page.fill('#login-name', loginName);
  await page.fill('#login-password', password);
  await page.press('#login-password', 'Enter');
  await page.waitForSelector('header.top .user, .alert.error');
  const err = (await page.locator('.alert.error').count()) ? await page.textContent('.alert.error') : '';
  const who = err ? '' : await page.textContent('header.top .user');
  assertClean(page);
  await page.context().close();
  return { err, who };
}

async function userId(loginName) {
  const r = await suite.env.api('GET', `/api/v1/users?login=${loginName}`);
  assert.equal(r.status, 200);
  return r.body[0].id;
}

test('admin creates a user with a role; the checks show at their fields; the new user logs in', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  await page.click('nav >> text=Administration');
  await page.click('main a[href="/admin/users"]');
  await page.waitForSelector('#users-table [data-login="gz.clerk"]');
  await page.click('text=New user');
  await page.waitForSelector('#u-login');
  // the policy is shown with the password field
  assert.match(await page.textContent('#u-password-hint'), /10 to 128 characters, with letters and digits, not the login/);
  await page.fill('#u-login', 'gz.clerk');
  await page.fill('#u-displayName', '广州营业员 周敏');
  await page.selectOption('#u-orgId', 'GD-GZ-H01');
  await page.check('input[name=roles][value=clerk]');
  await page.fill('#u-password', 'onlyletters');
  await page.click('#user-form button[type=submit]');
  await page.waitForSelector('#u-password-error');
  assert.equal(await page.textContent('#u-password-error'), 'A password needs both letters and digits.');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'u-password');
  // the server's 409 names the login: shown at the field
  await page.fill('#u-password', 'Counter2026x');
  await page.click('#user-form button[type=submit]');
  await page.waitForSelector('#u-login-error');
  assert.match(await page.textContent('#u-login-error'), /login 'gz\.clerk' is taken/);
  assert.equal(await page.getAttribute('#u-login', 'aria-invalid'), 'true');
  await page.fill('#u-login', 'gz.clerk2');
  await page.click('#user-form button[type=submit]');
  await page.waitForURL(/\/admin\/users$/);
  assert.match(await page.textContent('.alert.ok'), /User gz\.clerk2 created/);
  const row = page.locator('#users-table [data-login="gz.clerk2"]');
  assert.match(await row.textContent(), /广州营业员 周敏.*Counter clerk.*Enabled/);
  assertClean(page);

  const r = await tryLogin('gz.clerk2', 'Counter2026x');
  assert.equal(r.err, '');
  assert.match(r.who, /广州营业员 周敏/);
});

test('the users list filters by status and org unit, with the total', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  await page.goto(`${suite.env.base}/admin/users`);
  await page.waitForSelector('#users-table [data-login]');
  await page.selectOption('#uf-orgId', 'GD-GZ');
  await page.click('form.filters button[type=submit]');
  await page.waitForURL(/orgId=GD-GZ/);
  await page.waitForFunction(() => !document.querySelector('#users-table [data-login="admin"]'));
  const logins = await page.$$eval('#users-table [data-login]', (rs) => rs.map((r) => r.dataset.login));
  assert.ok(logins.length > 0 && logins.every((l) => l.startsWith('gz.')), logins.join());
  assert.match(await page.textContent('.pager [role=status]'), new RegExp(`1–${logins.length} of ${logins.length}`));
  assertClean(page);
});

test('disabling a user blocks their login; enabling lets them back in', async () => {
  assert.equal((await tryLogin('gz.sales')).err, '');
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  await page.goto(`${suite.env.base}/admin/users/${await userId('gz.sales')}`);
  await page.waitForSelector('#u-status');
  await page.selectOption('#u-status', 'disabled');
  // disabling is asked first; cancelled, nothing is saved
  await page.click('#user-form button[type=submit]');
  await page.waitForSelector('#disable-user-dialog[open]');
  assert.match(await page.textContent('#disable-user-dialog'), /Disable the account gz\.sales\?.*sessions end/);
  await page.click('#disable-user-dialog >> text=Cancel');
  await page.waitForSelector('#disable-user-dialog', { state: 'detached' });
  assert.equal((await tryLogin('gz.sales')).err, '', 'not disabled yet');
  await page.click('#user-form button[type=submit]');
  await page.click('#disable-user-dialog button.danger');
  await page.waitForURL(/\/admin\/users$/);
  assert.match(await page.locator('#users-table [data-login="gz.sales"]').textContent(), /Disabled/);
  assertClean(page);
  assert.equal((await tryLogin('gz.sales')).err, 'The login or password is wrong.');

  await page.goto(`${suite.env.base}/admin/users/${await userId('gz.sales')}`);
  await page.waitForSelector('#u-status');
  await page.selectOption('#u-status', 'active');
  await page.click('#user-form button[type=submit]');
  await page.waitForURL(/\/admin\/users$/);
  assert.equal((await tryLogin('gz.sales')).err, '');
  assertClean(page);
});

test('a save crossing someone else’s says who and when, keeps the input, and re-applies it', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  const id = await userId('gz.service');
  await page.goto(`${suite.env.base}/admin/users/${id}`);
  await page.waitForSelector('#u-displayName');
  await page.fill('#u-displayName', '广州客服组长 郑强');
  // meanwhile, by the API: another role
  const r = await suite.env.api('PATCH', `/api/v1/users/${id}`, { roles: ['service', 'agent'] });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  await page.click('#user-form button[type=submit]');
  await page.waitForSelector('.alert.warn .conflict');
  assert.match(await page.textContent('.alert.warn .conflict'), /changed by someone else \(at .* by admin\)/);
  assert.equal(await page.inputValue('#u-displayName'), '广州客服组长 郑强');
  await page.click('text=Reload and re-apply my changes');
  assert.ok(await page.isChecked('input[name=roles][value=agent]'), 'their change is loaded');
  assert.equal(await page.inputValue('#u-displayName'), '广州客服组长 郑强');
  await page.click('#user-form button[type=submit]');
  await page.waitForURL(/\/admin\/users$/);
  const u = await suite.env.api('GET', `/api/v1/users/${id}`);
  assert.equal(u.body.displayName, '广州客服组长 郑强');
  assert.deepEqual([...u.body.roles].sort(), ['agent', 'service']);
  assertClean(page);
});

test('a locked account is shown locked and unlocked; a password reset follows the policy', async () => {
  cli(['user', 'add', '--login', 'tmp.locked', '--role', 'agent', '--org', 'GD-GZ', '--password-stdin', '--db', suite.env.db], `${PASSWORD}\n`);
  for (let i = 0; i < 5; i++) {
    const r = await fetch(`${suite.env.base}/api/v1/session`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ login: 'tmp.locked', password: `wrong-pass${i}` }) });
    assert.equal(r.status, 401);
  }
  assert.match((await tryLogin('tmp.locked')).err, /locked/);
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  await page.goto(`${suite.env.base}/admin/users?login=tmp.locked`);
  await page.waitForSelector('#users-table [data-login="tmp.locked"]');
  assert.match(await page.locator('#users-table [data-login="tmp.locked"]').textContent(), /Locked/);
  await page.click('#users-table a >> text=tmp.locked');
  await page.waitForSelector('#u-unlock');
  assert.match(await page.textContent('.alert.warn'), /locked after repeated failed logins until/);
  await page.click('#u-unlock');
  await page.waitForFunction(() => /account is unlocked/.test(document.querySelector('.alert.ok')?.textContent || ''));
  assert.equal(await page.locator('#u-unlock').count(), 0);
  assert.equal((await tryLogin('tmp.locked')).err, '');

  // reset: the policy first, then the new password works and the old one does not
  await page.fill('#u-newPassword', 'tmp.locked');
  await page.click('#reset-form button[type=submit]');
  await page.waitForSelector('#u-newPassword-error');
  assert.match(await page.textContent('#u-newPassword-error'), /10 to 128 characters|letters and digits|not be the login/);
  await page.fill('#u-newPassword', 'Fresh2026start');
  await page.click('#reset-form button[type=submit]');
  await page.waitForFunction(() => /password is reset/.test(document.querySelector('#reset-form .alert.ok')?.textContent || ''));
  assert.equal((await tryLogin('tmp.locked', 'Fresh2026start')).err, '');
  assert.equal((await tryLogin('tmp.locked')).err, 'The login or password is wrong.');
  assertClean(page);
});

test('a role’s permission change shows in the list; a new role can be deleted while unused', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  await page.goto(`${suite.env.base}/admin/roles`);
  await page.waitForSelector('[data-role=analyst]');
  assert.match(await page.textContent('[data-role=analyst]'), /built in/);
  assert.doesNotMatch(await page.textContent('[data-role=analyst]'), /audit\.read/);
  await page.click('[data-role=analyst] a');
  await page.waitForSelector('#r-perm-audit-read');
  assert.match(await page.textContent('label[for=r-perm-audit-read]'), /read the audit trail/);
  await page.check('#r-perm-audit-read');
  await page.click('#role-form button[type=submit]');
  await page.waitForURL(/\/admin\/roles$/);
  assert.match(await page.textContent('.alert.ok'), /saved/);
  assert.match(await page.textContent('[data-role=analyst]'), /audit\.read/);
  const r = await suite.env.api('GET', '/api/v1/roles/analyst');
  assert.ok(r.body.permissions.includes('audit.read'));

  await page.click('text=New role');
  await page.fill('#r-id', 'Bad Id');
  await page.fill('#r-name', 'Night shift');
  await page.click('#role-form button[type=submit]');
  await page.waitForSelector('#r-id-error');
  await page.fill('#r-id', 'night_shift');
  await page.check('#r-perm-customer-read');
  await page.click('#role-form button[type=submit]');
  await page.waitForURL(/\/admin\/roles$/);
  await page.waitForSelector('[data-role=night_shift]');
  await page.click('[data-role=night_shift] button >> text=Delete');
  await page.click('[data-role=night_shift] button >> text=Yes, delete');
  await page.waitForFunction(() => !document.querySelector('[data-role=night_shift]'));
  assert.match(await page.textContent('.alert.ok'), /Role Night shift deleted/);
  // built-in roles and roles in use have no delete button
  assert.equal(await page.locator('[data-role=clerk] button').count(), 0);
  assertClean(page);
});

test('a grant beyond the administrator’s own permissions is refused and said plainly (403)', async () => {
  const r = await suite.env.api('POST', '/api/v1/roles', { id: 'user_admin', name: 'User admin', description: 'users only', permissions: ['admin.users', 'customer.read'] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const u = await suite.env.api('POST', '/api/v1/users', { login: 'gd.useradmin', displayName: 'GD user admin', orgId: 'GD', roles: ['user_admin'], password: PASSWORD });
  assert.equal(u.status, 201, JSON.stringify(u.body));
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gd.useradmin');
  await page.click('nav >> text=Administration');
  await page.waitForSelector('main a[href="/admin/users"]');
  assert.equal(await page.locator('main a[href="/admin/org"]').count(), 0, 'only the pages of the user’s permissions');
  await page.goto(`${suite.env.base}/admin/users/${await userId('gz.clerk')}`);
  await page.waitForSelector('#u-displayName');
  await page.fill('#u-displayName', 'renamed');
  await page.click('#user-form button[type=submit]');
  await page.waitForSelector('.alert.error');
  const text = await page.textContent('.alert.error');
  assert.match(text, /refused this \(403\).*which you do not hold.*only grant roles and permissions you hold yourself/);
  // the browser logs the refused request itself: that one is expected
  page.problems = page.problems.filter((p) => !/status of 403/.test(p));
  assertClean(page);
});

test('a unit created in the org tree shows in it; the tree works by keyboard', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  await page.goto(`${suite.env.base}/admin/org`);
  await page.waitForSelector('[role=tree] #ou-HQ');
  assert.equal(await page.getAttribute('#ou-HQ', 'aria-expanded'), 'true');
  assert.equal(await page.getAttribute('#ou-HQ', 'tabindex'), '0');
  // keyboard: HQ → first province, open it, into its first city, back to the province
  await page.focus('#ou-HQ');
  await page.keyboard.press('ArrowDown');
  const province = await page.evaluate(() => document.activeElement?.dataset.unit);
  assert.ok(province && province !== 'HQ');
  assert.equal(await page.getAttribute(`#ou-${province}`, 'aria-expanded'), 'false');
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getAttribute(`#ou-${province}`, 'aria-expanded'), 'true');
  await page.keyboard.press('ArrowRight');
  const city = await page.evaluate(() => document.activeElement?.dataset.unit);
  assert.ok(city.startsWith(`${province}-`), city);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.unit), province);
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.getAttribute(`#ou-${province}`, 'aria-expanded'), 'false');
  await page.keyboard.press('Home');
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.unit), 'HQ');

  // select Guangdong by keyboard, open it, pick Guangzhou with the mouse
  await page.focus('#ou-GD');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#ou-GD', 'aria-selected'), 'true');
  await page.keyboard.press('ArrowRight');
  await page.click('#ou-GD-GZ > .node .unit-name');
  await page.waitForSelector('#ou-new-id');
  assert.equal(await page.inputValue('#ou-new-id'), 'GD-GZ-');
  await page.fill('#ou-new-id', 'GD-GZ-H01');
  await page.fill('#ou-new-name', '天河北营业厅');
  await page.click('#ou-new button[type=submit]');
  await page.waitForSelector('#ou-new-id-error');
  assert.match(await page.textContent('#ou-new-id-error'), /already exists/);
  await page.fill('#ou-new-id', 'GD-GZ-H77');
  await page.selectOption('#ou-new-kind', 'hall');
  await page.click('#ou-new button[type=submit]');
  await page.waitForSelector('#ou-GD-GZ-H77');
  assert.match(await page.textContent('.org-detail .alert.ok'), /Unit 天河北营业厅 created/);
  assert.match(await page.textContent('#ou-GD-GZ-H77'), /天河北营业厅/);
  assert.equal(await page.getAttribute('#ou-GD-GZ-H77', 'aria-selected'), 'true');
  // rename it, then close it
  await page.fill('#ou-name', '天河北厅');
  await page.click('.unit-panel button >> text=Rename');
  await page.waitForFunction(() => /天河北厅/.test(document.querySelector('#ou-GD-GZ-H77')?.textContent || ''));
  await page.click('#ou-status');
  await page.waitForSelector('#close-unit-dialog[open]');
  assert.match(await page.textContent('#close-unit-dialog h2'), /Close unit 天河北厅\?/);
  await page.click('#close-unit-dialog button.danger');
  await page.waitForFunction(() => /Closed/.test(document.querySelector('#ou-GD-GZ-H77')?.textContent || ''));
  const u = await suite.env.api('GET', '/api/v1/org-units/GD-GZ-H77');
  assert.equal(u.body.status, 'closed');
  assert.equal(u.body.name, '天河北厅');
  assertClean(page);
});

test('the audit log filtered by actor shows the admin’s changes, with before and after', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'admin');
  await page.goto(`${suite.env.base}/admin/audit`);
  await page.waitForSelector('#audit-table [data-seq]');
  await page.fill('#af-actor', 'admin');
  await page.fill('#af-resource', 'user');
  await page.click('form.filters button[type=submit]');
  await page.waitForURL(/actor=admin&resource=user/);
  await page.waitForFunction(() => [...document.querySelectorAll('#audit-table .actor')].every((c) => c.textContent === 'admin'));
  const actions = await page.$$eval('#audit-table [data-seq]', (rs) => rs.map((r) => r.children[3].textContent));
  assert.ok(actions.includes('create') && actions.includes('update'), actions.join());
  // newest first: the latest user change is the reset of tmp.locked's password or a later one
  const seqs = await page.$$eval('#audit-table [data-seq]', (rs) => rs.map((r) => Number(r.dataset.seq)));
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a));
  // open the creation of gz.clerk2
  const id = await userId('gz.clerk2');
  const row = page.locator(`#audit-table [data-seq]:has-text("${id}")`).last();
  await row.locator('button.expand').click();
  assert.equal(await row.locator('button.expand').getAttribute('aria-expanded'), 'true');
  const details = await page.textContent('#audit-table tr.details');
  assert.match(details, /"login": "gz\.clerk2"/);
  assert.match(details, /Before\s*\(none\)/);
  await row.locator('button.expand').click();
  assert.equal(await page.locator('#audit-table tr.details').count(), 0);
  // an update names the members it changed: the enabling of gz.sales
  const upd = page.locator(`#audit-table [data-seq]:has-text("${await userId('gz.sales')}")`).first();
  await upd.locator('button.expand').click();
  assert.match(await page.textContent('#audit-table tr.details .changed'), /^Changed: status$/);
  assert.match(await page.textContent('#audit-table tr.details'), /"status": "disabled"[^]*"status": "active"/);
  // a time range in the future finds nothing
  await page.fill('#af-from', '2099-01-01T00:00');
  await page.click('form.filters button[type=submit]');
  await page.waitForURL(/at\.gte=2099/);
  await page.waitForSelector('#audit-table >> text=Nothing matches.');
  assertClean(page);
});

test('a clerk sees no Administration, and a page of it opened by URL says it is not allowed and why', async () => {
  const page = await newPage(suite.browser);
  await login(page, suite.env.base, 'gz.clerk');
  assert.equal(await page.locator('nav >> text=Administration').count(), 0);
  for (const [path, needs] of [
    ['/admin', /manage users and their API tokens \/ manage roles \/ manage the organisation tree \/ read the audit trail/],
    ['/admin/users', /\(manage users and their API tokens\)/],
    ['/admin/roles', /\(manage roles\)/],
    ['/admin/org', /\(manage the organisation tree\)/],
    ['/admin/audit', /\(read the audit trail\)/],
  ]) {
    await page.goto(`${suite.env.base}${path}`);
    await page.waitForSelector('main h1');
    assert.equal(await page.textContent('main h1'), 'Not allowed', path);
    assert.match(await page.textContent('main'), needs, path);
    assert.equal(await page.title(), 'Not allowed · telcrm', path);
  }
  assertClean(page);
});

test('administration in Chinese, on a 768 px tablet, without horizontal scrolling', async () => {
  const page = await newPage(suite.browser, { locale: 'zh-CN', viewport: { width: 768, height: 1024 } });
  await login(page, suite.env.base, 'admin');
  for (const [path, ready, heading] of [
    ['/admin', '.admin-index', '系统管理'],
    ['/admin/users', '#users-table [data-login]', '用户'],
    ['/admin/roles', '[data-role=clerk]', '角色'],
    ['/admin/org', '#ou-HQ', '组织机构'],
    ['/admin/audit', '#audit-table [data-seq]', '审计日志'],
  ]) {
    await page.goto(`${suite.env.base}${path}`);
    await page.waitForSelector(ready);
    assert.equal(await page.textContent('main h1'), heading);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
    assert.equal(overflow, false, `no horizontal scrolling on ${path}`);
  }
  assertClean(page);
});

test('role descriptions and permission names in the user’s language; a description an administrator wrote, as written', async () => {
  const page = await newPage(suite.browser, { locale: 'zh-CN' });
  await login(page, suite.env.base, 'admin');
  await page.goto(`${suite.env.base}/admin/roles`);
  await page.waitForSelector('[data-role=clerk]');
  const clerk = await page.textContent('[data-role=clerk]');
  assert.match(clerk, /在营业厅为客户办理业务/);
  assert.doesNotMatch(clerk, /Serves customers/);
  assert.match(await page.textContent('[data-role=clerk] [data-perm="customer.read"]'), /^查询客户和参与人 customer\.read · 数据范围：本省$/);
  assert.match(await page.textContent('[data-role=clerk] [data-perm="ticket.handle"]'), /创建和处理工单/);
  // the role's page: each permission by its name in Chinese, its code beside it
  await page.goto(`${suite.env.base}/admin/roles/agent`);
  await page.waitForSelector('#r-perm-audit-read');
  assert.match(await page.textContent('label[for=r-perm-audit-read]'), /^查阅审计记录audit\.read$/);
  assert.match(await page.textContent('#r-description-hint'), /电话接待客户/);
  // an edited description is the administrator's own text
  const r = await suite.env.api('GET', '/api/v1/roles/sales');
  const p = await suite.env.api('PATCH', '/api/v1/roles/sales', { description: '广州销售团队' }, { 'If-Match': `"${r.body.version}"` });
  assert.equal(p.status, 200, JSON.stringify(p.body));
  await page.goto(`${suite.env.base}/admin/roles`);
  await page.waitForSelector('[data-role=sales]');
  assert.match(await page.textContent('[data-role=sales] .role-desc'), /^广州销售团队$/);
  assertClean(page);
});
