// Screenshots for the README (docs/screenshots/*.png, 1280×800): login, the search
// dropdown, a 360° page, the edit form with a validation error, the create form; the
// administration's users list and audit log.
// Run with `npm run screenshots` after `npm run build`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, newPage, login, someCustomers, WEB } from './helpers.mjs';

const out = join(WEB, '..', 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const env = await startServer();
const browser = await launch();
try {
  const [c] = await someCustomers(env, 'GD-GZ-H01', 1);
  const page = await newPage(browser, { locale: 'zh-CN' });
  await page.goto(`${env.base}/login`);
  await page.fill('#login-name', 'gz.account');
  await page.screenshot({ path: join(out, 'login.png') });
  await login(page, env.base, 'gz.account');
  await page.keyboard.press('/');
  await page.keyboard.type(c.mobile.slice(-4));
  await page.waitForSelector('#search-listbox [role=option]');
  await page.keyboard.press('ArrowDown');
  await page.screenshot({ path: join(out, 'search.png') });
  await page.keyboard.press('Escape');
  await page.goto(`${env.base}/customers/${c.id}`);
  await page.waitForSelector('[data-section=audit]');
  await page.screenshot({ path: join(out, 'customer-360.png') });
  await page.goto(`${env.base}/customers/${c.id}/edit`);
  await page.waitForSelector('#f-mobile');
  await page.fill('#f-mobile', '15412345678');
  await page.click('button[type=submit]');
  await page.waitForSelector('#f-mobile-error');
  await page.screenshot({ path: join(out, 'edit-validation.png') });
  await page.goto(`${env.base}/customers/new`);
  await page.waitForSelector('#n-familyName');
  await page.fill('#n-familyName', '李');
  await page.fill('#n-givenName', '娜');
  await page.fill('#n-idNumber', '110105194912310023');
  await page.click('#n-mobile');
  await page.fill('#n-mobile', '13912345678');
  await page.screenshot({ path: join(out, 'create.png') });
  // administration: the users list and the audit log with an entry opened
  const admin = await newPage(browser, { locale: 'zh-CN' });
  await login(admin, env.base, 'admin');
  await admin.goto(`${env.base}/admin/users`);
  await admin.waitForSelector('#users-table [data-login]');
  await admin.screenshot({ path: join(out, 'admin-users.png') });
  const gz = await env.api('GET', '/api/v1/users?login=gz.agent');
  await env.api('PATCH', `/api/v1/users/${gz.body[0].id}`, { displayName: '广州话务班长 何丽', roles: ['agent', 'service'] });
  await admin.goto(`${env.base}/admin/audit?actor=admin&action=update&resource=user`);
  await admin.waitForSelector('#audit-table [data-seq]');
  await admin.click('#audit-table [data-seq] button.expand >> nth=0');
  await admin.screenshot({ path: join(out, 'admin-audit.png') });
  console.log(`screenshots in ${out}`);
} finally {
  await browser.close();
  await env.stop();
}
