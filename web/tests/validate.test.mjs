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

test('residence permits of Hong Kong, Macao and Taiwan residents', () => {
  ok(v.checkResidencePermit('810000199408230021', TODAY), '810000199408230021');
  ok(v.checkResidencePermit('830000199201300022', TODAY), '830000199201300022');
  ok(v.checkResidencePermit('82000019880512019x', TODAY), '82000019880512019X');
  bad(v.checkResidencePermit('810000940823002', TODAY), 'v.rp.length', { n: 15 });
  bad(v.checkResidencePermit('8100001994A8230021', TODAY), 'v.rp.digit', { i: 11 });
  bad(v.checkResidencePermit('81000019940823002Y', TODAY), 'v.rp.last');
  bad(v.checkResidencePermit('11010519491231002X', TODAY), 'v.rp.region', { code: '110105' });
  bad(v.checkResidencePermit('810000199002300026', TODAY), 'v.rp.date', { date: '19900230' });
  bad(v.checkResidencePermit('810000189912310021', TODAY), 'v.rp.before1900', { date: '18991231' });
  bad(v.checkResidencePermit('810000209901010010', TODAY), 'v.rp.future', { date: '20990101' });
  bad(v.checkResidencePermit('810000199408230022', TODAY), 'v.rp.check', { want: '1', got: '2' });
});

test('foreigners\' permanent resident IDs, 2023 and 2017', () => {
  ok(v.checkPermanentResidence('911398199012310021', TODAY), '911398199012310021');
  ok(v.checkPermanentResidence('932682198501010017', TODAY), '932682198501010017');
  ok(v.checkPermanentResidence('94439219800601001x', TODAY), '94439219800601001X');
  bad(v.checkPermanentResidence('91139819901231002', TODAY), 'v.fpr.length', { n: 17 });
  bad(v.checkPermanentResidence('11010519491231002X', TODAY), 'v.fpr.nine', { d: '1' });
  bad(v.checkPermanentResidence('971398199012310022', TODAY), 'v.fpr.region', { code: '71' });
  bad(v.checkPermanentResidence('911398199002300022', TODAY), 'v.fpr.date', { date: '19900230' });
  bad(v.checkPermanentResidence('911398209901010017', TODAY), 'v.fpr.future', { date: '20990101' });
  bad(v.checkPermanentResidence('911398199012310022', TODAY), 'v.fpr.check', { want: '1', got: '2' });
  ok(v.checkPermanentResidence('KAZ110090123105', TODAY), 'KAZ110090123105');
  ok(v.checkPermanentResidence('kaz110090123105', TODAY), 'KAZ110090123105');
  ok(v.checkPermanentResidence('GBR440000022916', TODAY), 'GBR440000022916');
  ok(v.checkPermanentResidence('JPN110030010171', TODAY), 'JPN110030010171');
  bad(v.checkPermanentResidence('K4Z110090123105', TODAY), 'v.fpr.letter', { i: 2 });
  bad(v.checkPermanentResidence('KAZ1A0090123105', TODAY), 'v.fpr.digit', { i: 5 });
  bad(v.checkPermanentResidence('KAZ990090123105', TODAY), 'v.fpr.region', { code: '99' });
  bad(v.checkPermanentResidence('KAZ110090023105', TODAY), 'v.fpr.date', { date: '900231' });
  bad(v.checkPermanentResidence('GBR440010022906', TODAY), 'v.fpr.date', { date: '100229' });
  bad(v.checkPermanentResidence('KAZ110060010158', 19500615), 'v.fpr.future', { date: '600101' });
  bad(v.checkPermanentResidence('KAZ110090123107', TODAY), 'v.fpr.check', { want: '5', got: '7' });
});

test('passports', () => {
  for (const [s, canonical] of [['E12345678', 'E12345678'], ['e12345678', 'E12345678'], ['EF1260892', 'EF1260892'],
    ['G12345678', 'G12345678'], ['DE1234567', 'DE1234567'], ['K12345678', 'K12345678'], ['C01X00T47', 'C01X00T47'],
    ['tk1234567', 'TK1234567'], ['123456789', '123456789'], ['EAB12345', 'EAB12345'], ['A1234', 'A1234']])
    ok(v.checkPassport(s), canonical);
  bad(v.checkPassport('E123'), 'v.passport.length', { n: 4 });
  bad(v.checkPassport('A12345678901234567890'), 'v.passport.length', { n: 21 });
  bad(v.checkPassport('E1234-678'), 'v.passport.char', { c: '-' });
  bad(v.checkPassport('P.1234567'), 'v.passport.char', { c: '.' });
  bad(v.checkPassport('E1234 678'), 'v.passport.space');
  bad(v.checkPassport('Ｅ12345678'), 'v.passport.char', { c: '?' });
  bad(v.checkPassport('abcdef'), 'v.passport.digit');
  bad(v.checkPassport('E1234567'), 'v.passport.cn8', { p: 'E', n: 7 });
  bad(v.checkPassport('G123456789'), 'v.passport.cn8', { p: 'G', n: 9 });
  bad(v.checkPassport('EA123456'), 'v.passport.cn7', { n: 6 });
  bad(v.checkPassport('EI1234567'), 'v.passport.series');
});

test('travel permits to the mainland', () => {
  ok(v.checkPermitHkMo('H12345678'), 'H12345678');
  ok(v.checkPermitHkMo('m1234567801'), 'M1234567801');
  bad(v.checkPermitHkMo('H1234567'), 'v.hkmo.length', { n: 8 });
  bad(v.checkPermitHkMo('C12345678'), 'v.hkmo.start', { c: 'C' });
  bad(v.checkPermitHkMo('H1234A678'), 'v.hkmo.digit', { i: 6 });
  ok(v.checkPermitTw('12345678'), '12345678');
  ok(v.checkPermitTw('1234567890'), '1234567890');
  ok(v.checkPermitTw('0561682001(D)'), '0561682001(D)');
  ok(v.checkPermitTw('0561682001（d）'), '0561682001(D)');
  ok(v.checkPermitTw('0561682001D'), '0561682001(D)');
  ok(v.checkPermitTw('0561682003(1)'), '0561682003(1)');
  bad(v.checkPermitTw('123456789'), 'v.tw.length', { n: 9 });
  bad(v.checkPermitTw('1234-5678'), 'v.tw.char', { c: '-' });
  bad(v.checkPermitTw('0561682001(DD)'), 'v.tw.office');
  bad(v.checkPermitTw('05616820(D)'), 'v.tw.officeAfter', { n: 8 });
});

test('military and armed police IDs', () => {
  ok(v.checkMilitaryId('南字第123456号'), '南字第123456号');
  ok(v.checkMilitaryId('二〇一九字第1号'), '二〇一九字第1号');
  ok(v.checkMilitaryId('\u{20000}字第12号'), '\u{20000}字第12号');
  ok(v.checkArmedPoliceId('武字第00001号'), '武字第00001号');
  bad(v.checkMilitaryId('南字第1号'), 'v.military.length', { n: 5 });
  bad(v.checkMilitaryId('123456789012345678901'), 'v.military.length', { n: 21 });
  bad(v.checkMilitaryId('南字第12-456号'), 'v.military.char', { i: 6 });
  bad(v.checkArmedPoliceId('武字第 00001号'), 'v.police.char', { i: 4 });
  bad(v.checkArmedPoliceId('武字第1号'), 'v.police.length', { n: 5 });
});

test('identification documents by type', () => {
  assert.deepEqual(v.ID_DOCUMENT_TYPES.map((r) => r.type), ['residentId', 'temporaryResidentId', 'householdRegister',
    'residencePermitHkMoTw', 'foreignPermanentResidentId', 'passport', 'mainlandTravelPermitHkMo',
    'mainlandTravelPermitTw', 'militaryId', 'armedPoliceId', 'other']);
  ok(v.checkIdDocument('nationalId', '11010519491231002x'), '11010519491231002X');
  ok(v.checkIdDocument('householdRegister', '11010519491231002x'), '11010519491231002X');
  bad(v.checkIdDocument('temporaryResidentId', '110105194912310023'), 'v.id.check', { want: 'X', got: '3' });
  ok(v.checkIdDocument('passport', 'e12345678'), 'E12345678');
  bad(v.checkIdDocument('residencePermitHkMoTw', '11010519491231002X'), 'v.rp.region', { code: '110105' });
  ok(v.checkIdDocument('other', 'anything at all'), 'anything at all');
  ok(v.checkIdDocument('unknownType', 'x'), 'x');
});

test('birth date and gender from a number of GB 11643’s form', () => {
  const f = (type, s) => v.idBirthAndGender(type, s);
  // characters 7-14 the birth date, character 17 odd: a man, even: a woman
  assert.deepEqual(f('residentId', '440106198506151239'), { birthDate: '1985-06-15', gender: 'male' });
  assert.deepEqual(f('residentId', '44010619920229004x'), { birthDate: '1992-02-29', gender: 'female' });
  assert.deepEqual(f('nationalId', '11010519491231002X'), { birthDate: '1949-12-31', gender: 'female' });
  assert.deepEqual(f('householdRegister', '440106198506151239'), { birthDate: '1985-06-15', gender: 'male' });
  // the legacy 15 digits: 19 and characters 7-12, character 15
  assert.deepEqual(f('residentId', '110105491231002'), { birthDate: '1949-12-31', gender: 'female' });
  assert.deepEqual(f('residentId', '110105491231001'), { birthDate: '1949-12-31', gender: 'male' });
  // residence permits and the permanent resident ID of 2023 are of the same form
  assert.deepEqual(f('residencePermitHkMoTw', '82000019880512019x'), { birthDate: '1988-05-12', gender: 'male' });
  assert.deepEqual(f('foreignPermanentResidentId', '911398199012310021'), { birthDate: '1990-12-31', gender: 'female' });
  // nothing from a number that is not valid, not complete, or of another document
  assert.equal(f('residentId', '440106198506151230'), null);
  assert.equal(f('residentId', '44010619850615123'), null);
  assert.equal(f('residentId', '11010519000229002X'), null);
  assert.equal(f('passport', 'E12345678'), null);
  assert.equal(f('foreignPermanentResidentId', 'KAZ110090023101'), null);
  assert.equal(f('other', '440106198506151239'), null);
});
