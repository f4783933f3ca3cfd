// The language of the UI: chosen from navigator.language, switchable, remembered in
// localStorage. useI18n() gives t() for the current language and the Intl formatters.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en, type MsgKey, type Messages } from './en';
import { zhCN } from './zh-CN';

export type Lang = 'zh-CN' | 'en';
export type { MsgKey };
export const LANGS: Lang[] = ['zh-CN', 'en'];
const tables: Record<Lang, Messages> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'telcrm.lang';

export function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh-CN' || saved === 'en') return saved;
  } catch {
    /* storage may be disabled */
  }
  const nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'zh-CN';
  return nav.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function saveLang(lang: Lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
  document.documentElement.lang = lang;
}

export type Vars = Record<string, string | number>;

export function translate(lang: Lang, key: MsgKey, vars?: Vars): string {
  const s: string = tables[lang][key] ?? en[key] ?? key;
  if (!vars) return s;
  return s.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** Looks a dynamic key up (a status, rank …): its translation, or the raw value. */
export function translateOr(lang: Lang, key: string, fallback: string): string {
  const table = tables[lang] as Record<string, string>;
  return table[key] ?? fallback;
}

export interface I18n {
  lang: Lang;
  t: (key: MsgKey, vars?: Vars) => string;
  /** a dynamic key such as `status.${value}`, the value itself when unknown */
  tv: (prefix: string, value: string | null | undefined) => string;
  setLang: (lang: Lang) => void;
  date: (iso: string | null | undefined) => string;
  dateTime: (iso: string | null | undefined) => string;
  number: (n: number) => string;
  cny: (n: number) => string;
}

const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function fmt<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) {
    f = make();
    formatters.set(key, f);
  }
  return f;
}

const pad = (n: number) => String(n).padStart(2, '0');

// Dates as each language writes them: Chinese 2026-12-02 (and 2026-12-02 14:33:05), the
// app's English (British, as its texts) 2 Dec 2026 (and 2 Dec 2026, 14:33:05) — the month
// in words, so that 02/12 is never read as 12 February. A date alone (a birth date, a churn
// date) is the calendar day it was stored as (UTC midnight); a time is local.
function formatDate(lang: Lang, d: Date, withTime: boolean): string {
  if (lang === 'zh-CN') {
    if (!withTime) return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  }
  const f = fmt(`${lang}|${withTime}`, () =>
    new Intl.DateTimeFormat('en-GB', withTime
      ? { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }
      : { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }),
  ) as Intl.DateTimeFormat;
  return f.format(d);
}

export function makeI18n(lang: Lang, setLang: (l: Lang) => void): I18n {
  const when = (iso: string | null | undefined, withTime: boolean) => {
    if (!iso) return '';
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) return iso;
    return formatDate(lang, d, withTime);
  };
  return {
    lang,
    setLang,
    t: (key, vars) => translate(lang, key, vars),
    tv: (prefix, value) => (value ? translateOr(lang, `${prefix}.${value}`, value) : ''),
    date: (iso) => when(iso, false),
    dateTime: (iso) => when(iso, true),
    number: (n) => (fmt(`${lang}|n`, () => new Intl.NumberFormat(lang)) as Intl.NumberFormat).format(n),
    cny: (n) =>
      (fmt(`${lang}|cny`, () => new Intl.NumberFormat(lang, { style: 'currency', currency: 'CNY' })) as Intl.NumberFormat).format(n),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('zh-CN', () => {}));
export const useI18n = () => useContext(I18nContext);
