// Client-side checks with the same rules as the server's (src/core/ident.c): resident
// identity card numbers (GB 11643), unified social credit codes (GB 32100), mainland
// mobile numbers (MIIT segment allocation), and the other documents of real-name
// registration (residence permits, permanent resident IDs, passports, travel permits,
// military IDs) by identification type (checkIdDocument). Each returns the canonical form
// or the first problem, as a message key of the i18n tables and its values. Pure
// functions, no DOM: unit-tested in tests/validate.test.mjs.
import type { MsgKey } from './i18n/en';

export type Check = { ok: true; value: string } | { ok: false; key: MsgKey; vars: Record<string, string | number> };

const fail = (key: MsgKey, vars: Record<string, string | number> = {}): Check => ({ ok: false, key, vars });
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

// GB/T 2260 province-level codes and the few more that id numbers (ID) and credit codes
// (USCC) use.
const ID_PROVINCES = new Set(
  '11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82 83 91'.split(' '),
);
const USCC_PROVINCES = new Set(
  '10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 71 81 82'.split(' '),
);

// ---- resident identity card numbers ---------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

function idCheckChar(d17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (d17.charCodeAt(i) - 48) * ID_WEIGHTS[i];
  return '10X98765432'[sum % 11];
}

function daysInMonth(y: number, m: number): number {
  if (m < 1 || m > 12) return 0;
  return [31, (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
}

/** Today in China Standard Time (UTC+8) as yyyymmdd, as the server reads the clock. */
export function todayCST(now = Date.now()): number {
  const d = new Date(now + 8 * 3600 * 1000);
  return d.getUTCFullYear() * 10000 + (d.getUTCMonth() + 1) * 100 + d.getUTCDate();
}

// The numbers of GB 11643's form: resident IDs (id), Hong Kong, Macao and Taiwan residence
// permits (rp), foreigners' permanent resident IDs of 2023 (fpr). They differ in their
// messages, the 15-character form, and the check of the first six characters.
type GbForm = 'id' | 'rp' | 'fpr';

const MAINLAND = (two: string) => ID_PROVINCES.has(two) && two[0] <= '6';

const GB_REGION: Record<GbForm, (s: string) => Check | null> = {
  id: (s) => (ID_PROVINCES.has(s.slice(0, 2)) ? null : fail('v.id.region', { code: s.slice(0, 2) })),
  rp: (s) => (['810000', '820000', '830000'].includes(s.slice(0, 6)) ? null : fail('v.rp.region', { code: s.slice(0, 6) })),
  fpr: (s) => (s[0] !== '9' ? fail('v.fpr.nine', { d: s[0] }) : MAINLAND(s.slice(1, 3)) ? null : fail('v.fpr.region', { code: s.slice(1, 3) })),
};

function checkGb(form: GbForm, s: string, today: number): Check {
  const chars = [...s];
  const n = chars.length;
  if (n !== 18 && !(form === 'id' && n === 15)) return fail(`v.${form}.length`, { n });
  const legacy = n === 15;
  for (let i = 0; i < n; i++) {
    const lastOf18 = !legacy && i === 17;
    const c = chars[i];
    if (isDigit(c) || (lastOf18 && (c === 'X' || c === 'x'))) continue;
    if (lastOf18) return fail(`v.${form}.last`);
    return fail(`v.${form}.digit`, { i: i + 1 });
  }
  const id17 = legacy ? s.slice(0, 6) + '19' + s.slice(6, 15) : s.slice(0, 17);
  const check = idCheckChar(id17);
  const region = GB_REGION[form](s);
  if (region) return region;
  const date = id17.slice(6, 14);
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(4, 6));
  const d = Number(date.slice(6, 8));
  if (d < 1 || d > daysInMonth(y, m)) return fail(`v.${form}.date`, { date });
  if (y < 1900) return fail(`v.${form}.before1900`, { date });
  if (Number(date) > today) return fail(`v.${form}.future`, { date });
  if (legacy) return { ok: true, value: s };
  const last = s[17].toUpperCase();
  if (last !== check) return fail(`v.${form}.check`, { want: check, got: s[17] });
  return { ok: true, value: s.slice(0, 17) + last };
}

/** GB 11643: 18 characters (or the legacy 15 digits); canonical with a capital X. */
export function checkResidentId(s: string, today = todayCST()): Check {
  return checkGb('id', s, today);
}

/** 港澳台居民居住证: GB 11643's form with region 810000, 820000 or 830000. */
export function checkResidencePermit(s: string, today = todayCST()): Check {
  return checkGb('rp', s, today);
}

const isLetter = (c: string | undefined) => c !== undefined && /^[A-Za-z]$/.test(c);

// ICAO 9303 check digit: weights 7 3 1, A=10 ... Z=35.
function icaoCheckDigit(c: string): string {
  let sum = 0;
  for (let i = 0; i < c.length; i++) {
    const ch = c[i];
    sum += (isDigit(ch) ? ch.charCodeAt(0) - 48 : ch.charCodeAt(0) - 55) * [7, 3, 1][i % 3];
  }
  return String(sum % 10);
}

/** 外国人永久居留身份证: the card of 2023 (18, GB 11643's form starting with 9) or of 2017
 * (15: nationality letters, place, YYMMDD, sequence, ICAO check digit); upper-cased. */
export function checkPermanentResidence(s: string, today = todayCST()): Check {
  const chars = [...s];
  if (chars.length === 18) return checkGb('fpr', s, today);
  if (chars.length !== 15) return fail('v.fpr.length', { n: chars.length });
  for (let i = 0; i < 15; i++) {
    if (i < 3 ? !isLetter(chars[i]) : !isDigit(chars[i])) return fail(i < 3 ? 'v.fpr.letter' : 'v.fpr.digit', { i: i + 1 });
  }
  const c = s.toUpperCase();
  if (!MAINLAND(c.slice(3, 5))) return fail('v.fpr.region', { code: c.slice(3, 5) });
  const yy = Number(c.slice(7, 9));
  const m = Number(c.slice(9, 11));
  const d = Number(c.slice(11, 13));
  let y = 2000 + yy;
  if (d < 1 || d > daysInMonth(y, m) || y * 10000 + m * 100 + d > today) y -= 100;
  if (d < 1 || d > daysInMonth(y, m)) return fail('v.fpr.date', { date: c.slice(7, 13) });
  if (y * 10000 + m * 100 + d > today) return fail('v.fpr.future', { date: c.slice(7, 13) });
  const want = icaoCheckDigit(c.slice(0, 14));
  if (want !== c[14]) return fail('v.fpr.check', { want, got: c[14] });
  return { ok: true, value: c };
}

/** Passports: 5 to 20 letters and digits with a digit, upper-cased; the Chinese ordinary
 * series E/G and 8 digits, or E, a letter (not I, O) and 7 digits. */
export function checkPassport(s: string): Check {
  const chars = [...s];
  const n = chars.length;
  if (n < 5 || n > 20) return fail('v.passport.length', { n });
  for (const c of chars) {
    if (isLetter(c) || isDigit(c)) continue;
    if (c === ' ') return fail('v.passport.space');
    const showable = c.length === 1 && c > ' ' && c < '\x7f' && c !== "'";
    return fail('v.passport.char', { c: showable ? c : '?' });
  }
  if (!/[0-9]/.test(s)) return fail('v.passport.digit');
  const c = s.toUpperCase();
  if ((c[0] === 'E' || c[0] === 'G') && /^[0-9]+$/.test(c.slice(1))) {
    if (n - 1 !== 8) return fail('v.passport.cn8', { p: c[0], n: n - 1 });
  } else if (c[0] === 'E' && /^[A-Z][0-9]+$/.test(c.slice(1))) {
    if (c[1] === 'I' || c[1] === 'O') return fail('v.passport.series');
    if (n - 2 !== 7) return fail('v.passport.cn7', { n: n - 2 });
  }
  return { ok: true, value: c };
}

/** 港澳居民来往内地通行证: H or M and 8 or 10 digits; upper-cased. */
export function checkPermitHkMo(s: string): Check {
  const chars = [...s];
  if (chars.length !== 9 && chars.length !== 11) return fail('v.hkmo.length', { n: chars.length });
  const first = chars[0].toUpperCase();
  if (first !== 'H' && first !== 'M') {
    const showable = chars[0].length === 1 && chars[0] > ' ' && chars[0] < '\x7f';
    return fail('v.hkmo.start', { c: showable ? chars[0] : '?' });
  }
  for (let i = 1; i < chars.length; i++) if (!isDigit(chars[i])) return fail('v.hkmo.digit', { i: i + 1 });
  return { ok: true, value: first + s.slice(1) };
}

/** 台湾居民来往大陆通行证: 8 digits, or the old 10, optionally with the issuing office code
 * "(B)" (ASCII or full-width parentheses) or a bare letter; stored "0561682001(B)". */
export function checkPermitTw(s: string): Check {
  const digits = /^[0-9]*/.exec(s)![0];
  const n = digits.length;
  const rest = s.slice(n);
  if (!rest) return n === 8 || n === 10 ? { ok: true, value: s } : fail('v.tw.length', { n });
  const m = /^(?:\(([A-Za-z0-9])\)|（([A-Za-z0-9])）|([A-Za-z]))$/.exec(rest);
  if (!m) {
    if (rest[0] === '(' || rest[0] === '（') return fail('v.tw.office');
    const c = [...rest][0];
    const showable = c.length === 1 && c > ' ' && c < '\x7f';
    return fail('v.tw.char', { c: showable ? c : '?' });
  }
  if (n !== 10) return fail('v.tw.officeAfter', { n });
  return { ok: true, value: `${digits}(${(m[1] || m[2] || m[3]).toUpperCase()})` };
}

// Chinese characters as the server counts them: CJK Unified Ideographs with extensions
// A to G, the compatibility ideographs and 〇.
const CJK = /^[\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u{20000}-\u{2fa1f}\u{30000}-\u{3134f}]$/u;

function checkServiceId(kind: 'military' | 'police', s: string): Check {
  const chars = [...s];
  if (chars.length < 6 || chars.length > 20) return fail(`v.${kind}.length`, { n: chars.length });
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i];
    if (isLetter(c) || isDigit(c) || CJK.test(c)) continue;
    return fail(`v.${kind}.char`, { i: i + 1 });
  }
  return { ok: true, value: s };
}

/** 军官证 / 士兵证: 6 to 20 letters, digits and Chinese characters, as given. */
export const checkMilitaryId = (s: string) => checkServiceId('military', s);
/** 武警证: as a military ID. */
export const checkArmedPoliceId = (s: string) => checkServiceId('police', s);

/** The identification types of an individual, in the order the form offers them, each
 * with its check (the server's table in ident.c; nationalId, TMF's name of a resident ID,
 * is accepted by the server and stored as residentId, so not offered). */
export const ID_DOCUMENT_TYPES: { type: string; check: ((s: string) => Check) | null }[] = [
  { type: 'residentId', check: (s) => checkResidentId(s) },
  { type: 'temporaryResidentId', check: (s) => checkResidentId(s) },
  { type: 'householdRegister', check: (s) => checkResidentId(s) },
  { type: 'residencePermitHkMoTw', check: (s) => checkResidencePermit(s) },
  { type: 'foreignPermanentResidentId', check: (s) => checkPermanentResidence(s) },
  { type: 'passport', check: checkPassport },
  { type: 'mainlandTravelPermitHkMo', check: checkPermitHkMo },
  { type: 'mainlandTravelPermitTw', check: checkPermitTw },
  { type: 'militaryId', check: checkMilitaryId },
  { type: 'armedPoliceId', check: checkArmedPoliceId },
  { type: 'other', check: null },
];

/** The check of the document type (nationalId as residentId); an unknown type or
 * "other" passes anything, the server having the last word. */
export function checkIdDocument(type: string, s: string): Check {
  const row = ID_DOCUMENT_TYPES.find((r) => r.type === (type === 'nationalId' ? 'residentId' : type));
  return row && row.check ? row.check(s) : { ok: true, value: s };
}

/** The document types whose numbers are of GB 11643's form and carry the holder's birth
 * date and sex: resident IDs (under each of their documents), residence permits for Hong
 * Kong, Macao and Taiwan residents, and the foreigners' permanent resident ID of 2023. */
const GB_FORM_TYPES = new Set(['residentId', 'nationalId', 'temporaryResidentId', 'householdRegister', 'residencePermitHkMoTw', 'foreignPermanentResidentId']);

/** What a valid number of GB 11643's form says of its holder (GB 11643 §4: characters 7-14
 * the birth date, character 17 odd for a man, even for a woman; the legacy 15 digits: 19
 * and characters 7-12, character 15), or null when the type does not carry it or the
 * number is not valid. */
export function idBirthAndGender(type: string, s: string): { birthDate: string; gender: 'male' | 'female' } | null {
  if (!GB_FORM_TYPES.has(type)) return null;
  const c = checkIdDocument(type, s.trim());
  if (!c.ok) return null;
  const v = c.value;
  const legacy = v.length === 15;
  if (!legacy && v.length !== 18) return null; // the permanent resident ID of 2017
  if (type === 'foreignPermanentResidentId' && legacy) return null;
  const date = legacy ? `19${v.slice(6, 12)}` : v.slice(6, 14);
  const sex = Number(v[legacy ? 14 : 16]);
  return { birthDate: `${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`, gender: sex % 2 === 1 ? 'male' : 'female' };
}

// ---- unified social credit codes --------------------------------------------------------

const USCC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];
const USCC_AUTHORITIES: Record<string, string> = {
  '1': '1239', '2': '19', '3': '123459', '4': '19', '5': '1239', '6': '129',
  '7': '129', '8': '19', '9': '123', A: '19', N: '1239', Y: '1',
};

function orgCheckChar(c8: string): string {
  let sum = 0;
  for (let i = 0; i < 8; i++) {
    const c = c8[i];
    sum += (isDigit(c) ? c.charCodeAt(0) - 48 : c.charCodeAt(0) - 65 + 10) * ORG_WEIGHTS[i];
  }
  const r = 11 - (sum % 11);
  return r === 10 ? 'X' : r === 11 ? '0' : String(r);
}

function usccCheckChar(c17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += USCC_ALPHABET.indexOf(c17[i]) * USCC_WEIGHTS[i];
  return USCC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** GB 32100: 18 characters of the code's alphabet, two check characters; upper-cased. */
export function checkUSCC(s: string): Check {
  const chars = [...s];
  if (chars.length !== 18) return fail('v.uscc.length', { n: chars.length });
  let c = '';
  for (let i = 0; i < 18; i++) {
    const ch = chars[i];
    const up = ch.length === 1 && ch < '\x80' ? ch.toUpperCase() : ch;
    if (up.length === 1 && USCC_ALPHABET.includes(up)) {
      c += up;
      continue;
    }
    const showable = ch.length === 1 && ch > ' ' && ch < '\x7f';
    return showable ? fail('v.uscc.char', { i: i + 1, c: ch }) : fail('v.uscc.char', { i: i + 1, c: '?' });
  }
  const types = USCC_AUTHORITIES[c[0]];
  if (!types) return fail('v.uscc.authority', { c: c[0] });
  if (!types.includes(c[1])) return fail('v.uscc.type', { t: c[1], c: c[0] });
  for (let i = 2; i < 8; i++) if (!isDigit(c[i])) return fail('v.uscc.digit', { i: i + 1 });
  if (!USCC_PROVINCES.has(c.slice(2, 4))) return fail('v.uscc.region', { code: c.slice(2, 4) });
  let want = orgCheckChar(c.slice(8, 16));
  if (want !== c[16]) return fail('v.uscc.orgCheck', { want, got: c[16] });
  want = usccCheckChar(c);
  if (want !== c[17]) return fail('v.uscc.check', { want, got: c[17] });
  return { ok: true, value: c };
}

// ---- mobile numbers --------------------------------------------------------------------

// MIIT segment allocation (as of March 2023), as in ident.c: allocated prefixes, and the
// satellite ones (refused). No prefix is a prefix of another.
const MOBILE_SEGMENTS =
  '130 131 132 133 1340 1341 1342 1343 1344 1345 1346 1347 1348 135 136 137 138 139 145 146 147 148 149 ' +
  '150 151 152 153 155 156 157 158 159 162 165 166 167 1700 1701 1702 1703 1704 1705 1706 1707 1708 1709 ' +
  '171 172 173 175 176 177 178 180 181 182 183 184 185 186 187 188 189 190 191 192 193 195 196 197 198 199';
const SATELLITE_SEGMENTS =
  '13492 13493 13499 1619 17400 17401 17402 17403 17404 17405 17406 17407 17408 17409 17410 17411 17412 1749';
const SEGMENTS = [
  ...MOBILE_SEGMENTS.split(' ').map((p) => ({ p, sat: false })),
  ...SATELLITE_SEGMENTS.split(' ').map((p) => ({ p, sat: true })),
];

function unallocatedLen(d: string): number {
  let best = 0;
  for (const { p } of SEGMENTS) {
    let k = 0;
    while (k < p.length && p[k] === d[k]) k++;
    if (k > best) best = k;
  }
  return best + 1 < 3 ? 3 : best + 1;
}

/** 11 digits of an allocated segment, spaces and dashes allowed, after +86, 0086 or 86. */
export function checkMobile(s: string): Check {
  let i = 0;
  let plus = false;
  while (s[i] === ' ' || s[i] === '-') i++;
  if (s[i] === '+') {
    if (s[i + 1] === '8' && s[i + 2] === '6') {
      plus = true;
      i += 3;
    } else if (isDigit(s[i + 1])) {
      return fail('v.mobile.foreign');
    }
  }
  let d = '';
  for (const c of s.slice(i)) {
    if (isDigit(c)) d += c;
    else if (c !== ' ' && c !== '-') {
      const showable = c > ' ' && c !== '\x7f';
      return fail('v.mobile.char', { c: showable ? c : '?' });
    }
  }
  if (!plus) {
    if (d.length === 15 && d.startsWith('0086')) d = d.slice(4);
    else if (d.length === 13 && d.startsWith('86')) d = d.slice(2);
  }
  if (d.length !== 11) return fail('v.mobile.length', { n: d.length });
  if (d[0] !== '1') return fail('v.mobile.start', { d: d[0] });
  const seg = SEGMENTS.find(({ p }) => d.startsWith(p));
  if (!seg) return fail('v.mobile.segment', { seg: d.slice(0, unallocatedLen(d)) });
  if (seg.sat) return fail('v.mobile.satellite', { seg: seg.p });
  return { ok: true, value: d };
}

/** A light e-mail check (the server has the last word): something@domain.tld, no spaces. */
export function checkEmail(s: string): Check {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(s) ? { ok: true, value: s } : fail('v.email');
}
