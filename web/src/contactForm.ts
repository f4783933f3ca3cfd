// Contact media as form fields: the first mobile, phone, e-mail and postal address of a
// contactMedium array, and back — keeping the other items, and knowing which array index
// holds which field so that a server error on contactMedium[2].characteristic.phoneNumber
// lands next to the right input.
import type { ContactMedium } from './types';

export interface ContactFields {
  mobile: string;
  phone: string;
  email: string;
  street1: string;
  district: string;
  city: string;
  stateOrProvince: string;
  postCode: string;
}

export const ADDRESS_KEYS = ['street1', 'district', 'city', 'stateOrProvince', 'postCode'] as const;

export function emptyContacts(): ContactFields {
  return { mobile: '', phone: '', email: '', street1: '', district: '', city: '', stateOrProvince: '', postCode: '' };
}

export function contactsFrom(list: ContactMedium[] | undefined): ContactFields {
  const out = emptyContacts();
  const first = (type: string) => (list || []).find((m) => m.mediumType === type)?.characteristic || {};
  out.mobile = first('mobile').phoneNumber || '';
  out.phone = first('phone').phoneNumber || '';
  out.email = first('email').emailAddress || '';
  const a = first('postalAddress');
  for (const k of ADDRESS_KEYS) out[k] = a[k] || '';
  return out;
}

export function contactsChanged(a: ContactFields, b: ContactFields) {
  return (Object.keys(a) as (keyof ContactFields)[]).some((k) => a[k] !== b[k]);
}

/** The new array and, for each array index, what it holds ('mobile', 'address', …). */
export function contactsTo(base: ContactMedium[] | undefined, f: ContactFields): { list: ContactMedium[]; slots: string[] } {
  const list: ContactMedium[] = (base || []).map((m) => ({ ...m, characteristic: { ...(m.characteristic || {}) } }));
  const put = (type: string, ch: Record<string, string> | null) => {
    const i = list.findIndex((m) => m.mediumType === type);
    if (!ch) {
      if (i >= 0) list.splice(i, 1);
    } else if (i >= 0) {
      list[i] = { ...list[i], characteristic: ch };
    } else {
      list.push({ mediumType: type, characteristic: ch });
    }
  };
  put('mobile', f.mobile.trim() ? { phoneNumber: f.mobile.trim() } : null);
  put('phone', f.phone.trim() ? { phoneNumber: f.phone.trim() } : null);
  put('email', f.email.trim() ? { emailAddress: f.email.trim() } : null);
  const addr: Record<string, string> = {};
  for (const k of ADDRESS_KEYS) if (f[k].trim()) addr[k] = f[k].trim();
  put('postalAddress', Object.keys(addr).length ? addr : null);
  for (const m of list) delete m.source;
  const slots = list.map((m) => (m.mediumType === 'postalAddress' ? 'address' : m.mediumType));
  return { list, slots };
}

/** The form field a server error names, or '' for the top of the form. */
export function contactFieldOf(field: string, slots: string[]): string {
  const m = /^contactMedium\[(\d+)\](?:\.characteristic\.(\w+))?/.exec(field);
  if (!m) return '';
  const slot = slots[Number(m[1])];
  if (slot === 'address') return m[2] && (ADDRESS_KEYS as readonly string[]).includes(m[2]) ? m[2] : 'street1';
  return slot === 'mobile' || slot === 'phone' || slot === 'email' ? slot : '';
}

/** A party's array with only the edited items changed: the first mobile, phone, e-mail or
 * postal address whose field(s) differ from `initial` gets the new value (its other
 * characteristic members kept), an emptied one is removed, a new one appended; every other
 * item — further numbers, fax, validFor, masked values the user did not touch — is sent
 * back exactly as it came (a masked value sent back unchanged keeps the stored one). */
export function partyContactsTo(
  base: ContactMedium[] | undefined,
  initial: ContactFields,
  f: ContactFields,
): { list: ContactMedium[]; slots: string[] } {
  const list: (ContactMedium | null)[] = (base || []).map((m) => {
    const c: ContactMedium = { ...m, characteristic: { ...(m.characteristic || {}) } };
    delete c.source;
    return c;
  });
  const edit = (type: string, change: (ch: Record<string, string | undefined>) => void) => {
    const i = list.findIndex((m) => m?.mediumType === type);
    const ch: Record<string, string | undefined> = i >= 0 ? { ...(list[i]!.characteristic || {}) } : {};
    change(ch);
    for (const k of Object.keys(ch)) if (ch[k] === undefined || ch[k] === '') delete ch[k];
    const empty = type === 'postalAddress' ? !ch.street1 && !ch.street2 && !ch.district && !ch.city && !ch.stateOrProvince : Object.keys(ch).length === 0;
    if (i >= 0) list[i] = empty ? null : { ...list[i]!, characteristic: ch };
    else if (!empty) list.push({ mediumType: type, characteristic: ch });
  };
  const one = (key: 'mobile' | 'phone' | 'email', type: string, member: string) => {
    if (f[key] === initial[key]) return;
    edit(type, (ch) => {
      ch[member] = f[key].trim();
    });
  };
  one('mobile', 'mobile', 'phoneNumber');
  one('phone', 'phone', 'phoneNumber');
  one('email', 'email', 'emailAddress');
  if (ADDRESS_KEYS.some((k) => f[k] !== initial[k]))
    edit('postalAddress', (ch) => {
      for (const k of ADDRESS_KEYS) if (f[k] !== initial[k]) ch[k] = f[k].trim();
    });
  const out = list.filter((m): m is ContactMedium => m !== null);
  // a slot names the form field of an index: only the first item of each type is on the form
  const seen = new Set<string>();
  const slots = out.map((m) => {
    if (seen.has(m.mediumType)) return '';
    seen.add(m.mediumType);
    return m.mediumType === 'postalAddress' ? 'address' : m.mediumType;
  });
  return { list: out, slots };
}
