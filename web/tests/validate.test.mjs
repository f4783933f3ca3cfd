// Unit tests of src/validate.ts: the same cases as the server's validators
// (src/core/ident.h). The TypeScript is transpiled by the build's own tool (Vite's Oxc).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transformWithOxc } from 'vite';

const src = readFileSync(resolve(dirname(fileURLToPath(import.meta.url)), '../src/validate.ts'), 'utf8');
const js = (await transformWithOxc(src, 'validate.ts', { lang: 'ts' })).code;
const dir = mkdtempSync(join(tmpdir(), 'validate-'));
writeFileSync(join(dir, 'validate.mjs'), js);
const v = await import(pathToFileURL(join(dir, 'validate.mjs')).href);
rmSync(dir, { recursive: true, force: true });

const ok = (r, value) => assert.deepEqual(r, { ok: true, value });
const bad = (r, key, vars = {}) => assert.deepEqual(r, { ok: false, key, vars });
const TODAY = 20261125;

test('resident ID numbers (GB 11643)', () => {
  ok(v.checkResidentId('11010519491231002X', TODAY), '11010519491231002X');
  ok(v.checkResidentId('11010519491231002x', TODAY), '11010519491231002X');
  ok(v.checkResidentId('110105491231002', TODAY), '110105491231002');
  bad(v.checkResidentId('110105194912310023', TODAY), 'v.id.check', { want: 'X', got: '3' });
  bad(v.checkResidentId('11010519000229002X', TODAY), 'v.id.date', { date: '19000229' });
  ok(v.checkResidentId('110105200002290021', TODAY), '110105200002290021');
  bad(v.checkResidentId('11010519491231002', TODAY), 'v.id.length', { n: 17 });
  bad(v.checkResidentId('', TODAY), 'v.id.length', { n: 0 });
  bad(v.checkResidentId('1101051949123100XX', TODAY), 'v.id.digit', { i: 17 });
  bad(v.checkResidentId('11010519491231002A', TODAY), 'v.id.last');
  bad(v.checkResidentId('99010519491231002X', TODAY), 'v.id.region', { code: '99' });
  bad(v.checkResidentId('110105188001010010', TODAY), 'v.id.before1900', { date: '18800101' });
  bad(v.checkResidentId('110105209901010010', TODAY), 'v.id.future', { date: '20990101' });
  bad(v.checkResidentId('110105199013010010', TODAY), 'v.id.date', { date: '19901301' });
  bad(v.checkResidentId('１10105194912310023', TODAY), 'v.id.digit', { i: 1 });
  assert.equal(v.checkResidentId('11010519491231002X').ok, true, 'today by default');
});

test('today is read in China Standard Time', () => {
  assert.equal(v.todayCST(Date.UTC(2026, 10, 24, 16, 0, 0)), 20261125);
  assert.equal(v.todayCST(Date.UTC(2026, 10, 24, 15, 59, 59)), 20261124);
});

test('unified social credit codes (GB 32100)', () => {
  ok(v.checkUSCC('91350100M000100Y43'), '91350100M000100Y43');
  ok(v.checkUSCC('91350100m000100y43'), '91350100M000100Y43');
  bad(v.checkUSCC('91350100M000100Y44'), 'v.uscc.check', { want: '3', got: '4' });
  bad(v.checkUSCC('91350100M000100Y4'), 'v.uscc.length', { n: 17 });
  bad(v.checkUSCC('91350100I000100Y43'), 'v.uscc.char', { i: 9, c: 'I' });
  bad(v.checkUSCC('B1350100M000100Y43'), 'v.uscc.authority', { c: 'B' });
  bad(v.checkUSCC('94350100M000100Y43'), 'v.uscc.type', { t: '4', c: '9' });
  bad(v.checkUSCC('913A0100M000100Y43'), 'v.uscc.digit', { i: 4 });
  bad(v.checkUSCC('91990100M000100Y43'), 'v.uscc.region', { code: '99' });
  bad(v.checkUSCC('91350100M000100Y53'), 'v.uscc.orgCheck', { want: '4', got: '5' });
});

test('mobile numbers (MIIT segments)', () => {
  for (const s of ['13812345678', '+86 138 1234 5678', '0086-138-1234-5678', '8613812345678', ' 138-1234-5678'])
    ok(v.checkMobile(s), '13812345678');
  ok(v.checkMobile('17031234567'), '17031234567');
  ok(v.checkMobile('19212345678'), '19212345678');
  ok(v.checkMobile('13401234567'), '13401234567');
  bad(v.checkMobile('15412345678'), 'v.mobile.segment', { seg: '154' });
  bad(v.checkMobile('13490123456'), 'v.mobile.segment', { seg: '13490' });
  bad(v.checkMobile('17413123456'), 'v.mobile.segment', { seg: '17413' });
  bad(v.checkMobile('17400123456'), 'v.mobile.satellite', { seg: '17400' });
  bad(v.checkMobile('13492123456'), 'v.mobile.satellite', { seg: '13492' });
  bad(v.checkMobile('16191234567'), 'v.mobile.satellite', { seg: '1619' });
  bad(v.checkMobile('1381234567'), 'v.mobile.length', { n: 10 });
  bad(v.checkMobile('23812345678'), 'v.mobile.start', { d: '2' });
  bad(v.checkMobile('+1 555 123 4567'), 'v.mobile.foreign');
  bad(v.checkMobile('138a2345678'), 'v.mobile.char', { c: 'a' });
  bad(v.checkMobile('+4413812345678'), 'v.mobile.foreign');
  bad(v.checkMobile('138\t12345678'), 'v.mobile.char', { c: '?' });
  bad(v.checkMobile('+86 8613812345678'), 'v.mobile.length', { n: 13 });
});

test('e-mail, lightly', () => {
  ok(v.checkEmail('a.b@example.com'), 'a.b@example.com');
  bad(v.checkEmail('a b@example.com'), 'v.email');
  bad(v.checkEmail('nobody'), 'v.email');
});
