// Shared by the browser tests: a real telcrm server on a free port against a fresh demo
// database, serving the built app (dist/), and headless Chromium through playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname, extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import http from 'node:http';
import net from 'node:net';
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = resolve(WEB, process.env.TELCRM_BIN || '../build/telcrm');
export const DIST = join(WEB, 'dist');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const PASSWORD = 'Demo-pass-2026';

export function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

export function cli(args, input) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`telcrm ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout.trim();
}

function serveHelp() {
  const r = spawnSync(BIN, ['serve', '--help'], { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
}

async function waitHealthy(base, proc, logs) {
  for (let i = 0; i < 200; i++) {
    if (proc.exitCode !== null) throw new Error(`telcrm exited: ${logs.join('')}`);
    try {
      const r = await fetch(`${base}/healthz`);
      if (r.ok) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`telcrm did not start: ${logs.join('')}`);
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json' };

/** Serves dist/ (index.html for deep links) and passes /api, /tmf-api, /healthz to telcrm:
 * for a telcrm without --web. */
function staticProxy(port, apiPort) {
  const srv = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (/^\/(api|tmf-api)\//.test(url.pathname) || url.pathname === '/healthz' || url.pathname === '/metrics') {
      const up = http.request({ host: '127.0.0.1', port: apiPort, path: req.url, method: req.method, headers: req.headers }, (ur) => {
        res.writeHead(ur.statusCode, ur.headers);
        ur.pipe(res);
      });
      up.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      req.pipe(up);
      return;
    }
    let file = join(DIST, decodeURIComponent(url.pathname));
    if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory() || !url.pathname.startsWith('/assets/')) file = join(DIST, 'index.html');
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] || 'application/octet-stream',
      'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
    });
    res.end(readFileSync(file));
  });
  return new Promise((r) => srv.listen(port, '127.0.0.1', () => r(srv)));
}

/** The usual setting of a test file: a server on a fresh demo database (startServer's
 * options) and a browser, started before its tests (then ready(s), when given) and
 * stopped after them; the object's env and browser are set once its before hook has run. */
export function serverAndBrowser({ ready, ...options } = {}) {
  const s = { env: null, browser: null };
  before(async () => {
    s.env = await startServer(options);
    s.browser = await launch();
    await ready?.(s);
  });
  after(async () => {
    await s.browser?.close();
    await s.env?.stop();
  });
  return s;
}

/** A fresh demo database and a server on it: { base, db, stop, token() }. */
export async function startServer({ customers = 300 } = {}) {
  assert.ok(existsSync(BIN), `no telcrm binary at ${BIN} (set TELCRM_BIN)`);
  assert.ok(existsSync(join(DIST, 'index.html')), 'no dist/index.html: run npm run build first');
  const dir = mkdtempSync(join(tmpdir(), 'telcrm-web-'));
  const db = join(dir, 'test.db');
  cli(['demo', '--db', db, '--customers', String(customers)]);
  const withWeb = serveHelp().includes('--web');
  const port = await freePort();
  const apiPort = withWeb ? port : await freePort();
  const args = ['serve', '--db', db, '--listen', `127.0.0.1:${apiPort}`, '--login-rate', '1000'];
  if (withWeb) args.push('--web', DIST);
  const logs = [];
  const proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  proc.stdout.on('data', (d) => logs.push(String(d)));
  proc.stderr.on('data', (d) => {
    logs.push(String(d));
    if (logs.length > 200) logs.splice(0, 100);
  });
  const base = `http://127.0.0.1:${port}`;
  await waitHealthy(`http://127.0.0.1:${apiPort}`, proc, logs);
  const proxy = withWeb ? null : await staticProxy(port, apiPort);
  let tok = '';
  const env = {
    base,
    db,
    logs,
    token() {
      if (!tok) tok = cli(['token', 'create', '--user', 'admin', '--name', 'web-tests', '--expires', '1d', '--db', db]);
      return tok;
    },
    /** The API as admin, by token. */
    async api(method, path, body, headers = {}) {
      const r = await fetch(base + path, {
        method,
        headers: { Authorization: `Bearer ${env.token()}`, 'Content-Type': 'application/json', ...headers },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await r.text();
      return { status: r.status, body: text ? JSON.parse(text) : null, headers: r.headers };
    },
    async stop() {
      if (proxy) await new Promise((r) => proxy.close(r));
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return env;
}

export async function launch() {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], headless: true });
}

// The browser's own network log lines for answers the tests cause on purpose (401 before
// login, 400/404/412 in the error tests): not the app's console errors.
const EXPECTED = /Failed to load resource: the server responded with a status of (400|401|404|409|412|429)/;

/** A page at 1280×800 in a new context; every console error or warning is recorded and
 * fails assertClean(page). */
export async function newPage(browser, { locale = 'en-US', viewport = { width: 1280, height: 800 } } = {}) {
  const context = await browser.newContext({ locale, viewport });
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !EXPECTED.test(m.text())) page.problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => page.problems.push(`pageerror: ${e.message}`));
  return page;
}

export function assertClean(page) {
  assert.deepEqual(page.problems, [], 'console errors or warnings');
}

export async function login(page, base, loginName, password = PASSWORD) {
  await page.goto(`${base}/login`);
  await page.fill('#login-name', loginName);
  await page.fill('#login-password', password);
  await page.press('#login-password', 'Enter');
  await page.waitForSelector('header.top .user');
}

/** Some demo customers of a unit, with their 360 as admin: [{id, name, customerNo, mobile}]. */
export async function someCustomers(env, orgId, n = 5) {
  const r = await env.api('GET', `/tmf-api/customerManagement/v4/customer?orgId=${orgId}&status=active&limit=50`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const out = [];
  for (const c of r.body) {
    const v = await env.api('GET', `/api/v1/customers/${c.id}/360`);
    const party = v.body.sections.find((s) => s.name === 'party').data;
    if (!party || party['@type'] !== 'Individual') continue;
    const contacts = v.body.sections.find((s) => s.name === 'contacts').data || [];
    const mobile = contacts.find((m) => m.mediumType === 'mobile')?.characteristic?.phoneNumber;
    const id = (party.individualIdentification || []).find((x) => x.identificationType === 'residentId')?.identificationId;
    if (!mobile || !id) continue;
    out.push({ id: c.id, name: c.name, customerNo: c.customerNo, mobile, residentId: id, version: c.version });
    if (out.length >= n) break;
  }
  assert.ok(out.length > 0, `no customers with mobile and ID in ${orgId}`);
  return out;
}
