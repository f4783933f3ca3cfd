// Cold load of the 360° page on loopback: a fresh browser context (empty cache) with a
// session cookie opens /customers/{id}; the time from navigation start until every
// section is rendered (performance.now() then). Prints each run, the median and the max.
import { startServer, launch, someCustomers, PASSWORD } from './helpers.mjs';

const RUNS = Number(process.env.RUNS || 7);
const env = await startServer({ customers: Number(process.env.CUSTOMERS || 10000) });
const browser = await launch();
const times = [];
try {
  const cs = await someCustomers(env, 'GD-GZ-H01', RUNS);
  for (let i = 0; i < RUNS; i++) {
    const c = cs[i % cs.length];
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN' });
    const r = await context.request.post(`${env.base}/api/v1/session`, { data: { login: 'gz.account', password: PASSWORD } });
    if (r.status() !== 201) throw new Error(`login: ${r.status()}`);
    const page = await context.newPage();
    await page.goto(`${env.base}/customers/${c.id}`, { waitUntil: 'commit' });
    await page.waitForSelector('[data-section=audit]', { timeout: 10000 });
    const ms = await page.evaluate(() => performance.now());
    const parts = await page.evaluate(() => {
      const nav = performance.getEntriesByType('navigation')[0];
      const res = performance.getEntriesByType('resource');
      const end = (re) => res.filter((r) => re.test(r.name)).map((r) => `${r.startTime.toFixed(0)}-${r.responseEnd.toFixed(0)}`).join(',');
      return `html ${nav.responseEnd.toFixed(0)}, js ${end(/\.js$/)}, session ${end(/\/api\/v1\/session$/)}, 360 ${end(/\/360$/)}`;
    });
    times.push(ms);
    console.log(`run ${i + 1}: ${ms.toFixed(0)} ms (${parts})`);
    await context.close();
  }
  times.sort((a, b) => a - b);
  console.log(`360 cold load: median ${times[Math.floor(times.length / 2)].toFixed(0)} ms, max ${times[times.length - 1].toFixed(0)} ms over ${times.length} runs`);
} finally {
  await browser.close();
  await env.stop();
}
