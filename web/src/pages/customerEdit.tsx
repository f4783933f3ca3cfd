// /customers/:id/edit — change a customer: name, rank, segment, contact media, blacklist
// (a reason from the list, or typed, and a confirmation before saving) and big-customer
// flags, and the contact details (mobile, phone, e-mail, postal address)
// of its engaged party — the person or organisation, where they usually live. One Save
// sends the party's PATCH first (its whole contactMedium array with the edited items
// replaced, If-Match on the party's version), then the customer's; each only when
// something of it changed. A 400 naming a field is shown at that field; a 412 (someone
// saved in between) says who and when, keeps the input and offers to reload the latest
// version and re-apply the user's changes to it. A customer the user may read but not
// change (reach.ts) shows where it belongs instead of the form; a party of a unit the user
// does not reach keeps its details read-only; a 403 the server answers anyway is shown
// with its message.
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../routes';
import { api, ApiError, paths } from '../api';
import { useI18n, type MsgKey } from '../i18n';
import { can } from '../session';
import { useWriteReach } from '../reach';
import { navigate } from '../router';
import { errorText } from '../errors';
import { setFlash } from '../flash';
import type { AuditRow, ContactMedium, Customer, Party, View360 } from '../types';
import { mediumValue } from '../sections/contacts';
import { changedKeys, fieldLabel } from '../sections/audit';
import { checkEmail, checkMobile } from '../validate';
import {
  contactFieldOf,
  contactsChanged,
  contactsFrom,
  contactsTo,
  partyContactsTo,
  type ContactFields,
} from '../contactForm';
import { Alert, CheckField, SelectField, TextField } from '../components/form';
import { ConfirmDialog, REASONS, ReasonField } from '../components/confirm';
import { Link } from '../components/link';
import { useTitle } from '../components/title';
import { ReadOnlyNote } from '../components/readOnly';
import { NotLoaded } from './notFound';

interface Form extends ContactFields {
  name: string;
  customerRank: string;
  segment: string;
  blacklisted: boolean;
  blacklistReason: string;
  bigCustomerPotential: boolean;
}

type Errors = Partial<Record<keyof Form, string>>;
type PartyErrors = Partial<Record<keyof ContactFields, string>>;

const RANKS = ['diamond', 'platinum', 'gold', 'silver', 'standard'];
const SEGMENTS = ['mass', 'youth', 'family', 'senior', 'business', 'enterprise'];

function formOf(c: Customer): Form {
  return {
    name: c.name || '',
    customerRank: c.customerRank || '',
    segment: c.segment || '',
    blacklisted: !!c.blacklisted,
    blacklistReason: c.blacklistReason || '',
    bigCustomerPotential: !!c.bigCustomerPotential,
    ...contactsFrom(c.contactMedium),
  };
}

/** The user's changes (initial → form) applied to another starting point. */
function reapply<F extends object>(initial: F, form: F, onto: F): F {
  const out = { ...onto };
  for (const k of Object.keys(form) as (keyof F)[]) if (form[k] !== initial[k]) out[k] = form[k];
  return out;
}

type Conflict = {
  at: string;
  who: string;
  /** the attributes they changed, when the audit trail can tell */
  fields: string[];
} & ({ target: 'customer'; latest: Customer } | { target: 'party'; latest: Party });

/** The party's form fields, in page order (for focusing the first error). */
const PARTY_KEYS: (keyof ContactFields)[] = ['mobile', 'phone', 'email', 'stateOrProvince', 'city', 'district', 'street1', 'postCode'];

export function CustomerEdit({ params }: PageProps) {
  const i18n = useI18n();
  const { t, tv, dateTime } = i18n;
  const [base, setBase] = useState<Customer | null>(null);
  const [initial, setInitial] = useState<Form | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [top, setTop] = useState<{ kind: 'error' | 'info' | 'warn'; text: string } | null>(null);
  const [conflict, setConflict] = useState<Conflict | null>(null);
  const [busy, setBusy] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [partyContacts, setPartyContacts] = useState<ContactMedium[]>([]);
  // the engaged party, when it can be edited here (in the caller's scope)
  const [party, setParty] = useState<Party | null>(null);
  const [pInitial, setPInitial] = useState<ContactFields | null>(null);
  const [pForm, setPForm] = useState<ContactFields | null>(null);
  const [pErrors, setPErrors] = useState<PartyErrors>({});
  const [askBlacklist, setAskBlacklist] = useState(false);
  useTitle(base ? t('edit.title', { name: base.name }) : t('c360.edit'));
  const reach = useWriteReach(base?.orgId, base?.customerNo, 'customer.write', base?.ownerId);
  const partyReach = useWriteReach(party?.orgId);

  useEffect(() => {
    const ctl = new AbortController();
    api
      .get<View360>(paths.view360(params.id), { signal: ctl.signal })
      .then(async (r) => {
        const c = r.data.sections.find((s) => s.name === 'profile')?.data as Customer;
        const contacts = (r.data.sections.find((s) => s.name === 'contacts')?.data as ContactMedium[] | null) || [];
        const p360 = r.data.sections.find((s) => s.name === 'party')?.data as Party | null;
        setPartyContacts(contacts.filter((m) => m.source === 'party'));
        if (p360?.id) {
          // the party itself for its version (If-Match); without it the party's details stay read-only
          try {
            const p = await api.get<Party>(paths.party(p360['@type'], p360.id), { signal: ctl.signal });
            const pf = contactsFrom(p.data.contactMedium);
            setParty(p.data);
            setPInitial(pf);
            setPForm(pf);
          } catch (e) {
            if (ctl.signal.aborted) return;
            if (!(e instanceof ApiError && (e.status === 404 || e.status === 403))) throw e;
          }
        }
        setBase(c);
        const f = formOf(c);
        setInitial(f);
        setForm(f);
      })
      .catch((e) => !ctl.signal.aborted && setLoadError(e));
    return () => ctl.abort();
  }, [params.id]);

  if (loadError || !base || !form || !initial || !reach.known || (party && !partyReach.known)) return <NotLoaded error={loadError} />;
  if (!reach.writable)
    return (
      <section class="page edit">
        <h1>{t('edit.title', { name: base.name })}</h1>
        <p class="sub mono">{base.customerNo}</p>
        <ReadOnlyNote unitName={reach.unitName} notOwner={reach.notOwner} />
        <p>
          <Link href={`/customers/${encodeURIComponent(base.id)}`}>{t('edit.back')}</Link>
        </p>
      </section>
    );
  // the party's own details are changed here only when the user reaches its unit
  const partyEditable = !!party && partyReach.writable;

  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => {
    setForm((f) => (f ? { ...f, [k]: v } : f));
    setErrors((e) => (e[k] ? { ...e, [k]: undefined } : e));
  };
  const err = (k: keyof Form) => errors[k];
  const pSet = (k: keyof ContactFields) => (v: string) => {
    setPForm((f) => (f ? { ...f, [k]: v } : f));
    setPErrors((e) => (e[k] ? { ...e, [k]: undefined } : e));
  };
  const pErr = (k: keyof ContactFields) => pErrors[k];
  const partyChanged = !!(partyEditable && party && pForm && pInitial && contactsChanged(pForm, pInitial));
  const msg = (key: MsgKey, vars?: Record<string, string | number>) => t(key, vars);

  /** the client's checks of the contact fields that changed */
  const checkContacts = (f: ContactFields, init: ContactFields): PartyErrors => {
    const e: PartyErrors = {};
    if (f.mobile !== init.mobile && f.mobile.trim()) {
      const r = checkMobile(f.mobile.trim());
      if (!r.ok) e.mobile = msg(r.key, r.vars);
    }
    if (f.email !== init.email && f.email.trim()) {
      const r = checkEmail(f.email.trim());
      if (!r.ok) e.email = msg(r.key, r.vars);
    }
    return e;
  };

  const check = (): Errors => {
    const e: Errors = {};
    if (!form.name.trim()) e.name = msg('v.required');
    Object.assign(e, checkContacts(form, initial));
    if (form.blacklisted && !form.blacklistReason.trim()) e.blacklistReason = msg('v.required');
    return e;
  };

  /** focus the first field in error, in page order: the customer's name, rank and segment,
   * the party's contact details, then the rest of the customer's */
  const focusFirstError = (e: Errors, pe: PartyErrors = {}) => {
    const head = (['name', 'customerRank', 'segment'] as (keyof Form)[]).find((k) => e[k]);
    const pFirst = PARTY_KEYS.find((k) => pe[k]);
    const first = head ? `f-${head}` : pFirst ? `p-${pFirst}` : (Object.keys(e) as (keyof Form)[]).filter((k) => e[k]).map((k) => `f-${k}`)[0];
    if (first) document.getElementById(first)?.focus();
  };

  const save = async (ev?: Event, confirmed = false) => {
    ev?.preventDefault();
    setTop(null);
    const e = check();
    const pe = partyChanged && pForm && pInitial ? checkContacts(pForm, pInitial) : {};
    if (Object.keys(e).length || Object.keys(pe).length) {
      setErrors(e);
      setPErrors(pe);
      setTop({ kind: 'error', text: t('edit.errors') });
      focusFirstError(e, pe);
      return;
    }
    setErrors({});
    setPErrors({});
    const patch: Record<string, unknown> = {};
    if (form.name !== initial.name) patch.name = form.name.trim();
    if (form.customerRank !== initial.customerRank) patch.customerRank = form.customerRank || null;
    if (form.segment !== initial.segment) patch.segment = form.segment.trim() || null;
    if (form.bigCustomerPotential !== initial.bigCustomerPotential) patch.bigCustomerPotential = form.bigCustomerPotential;
    if (form.blacklisted !== initial.blacklisted || (form.blacklisted && form.blacklistReason !== initial.blacklistReason)) {
      patch.blacklisted = form.blacklisted;
      patch.blacklistReason = form.blacklisted ? form.blacklistReason.trim() : null;
    }
    let slots: string[] = [];
    if (contactsChanged(form, initial)) {
      const c = contactsTo(base.contactMedium, form);
      patch.contactMedium = c.list;
      slots = c.slots;
    }
    if (Object.keys(patch).length === 0 && !partyChanged) {
      setTop({ kind: 'info', text: t('edit.nothing') });
      return;
    }
    // blacklisting is destructive: confirmed first, its reason shown again
    if (patch.blacklisted === true && !initial.blacklisted && !confirmed) {
      setAskBlacklist(true);
      return;
    }
    setBusy(true);
    // the party first: its contact details are what an agent is usually told have changed
    let partySaved = false;
    if (partyChanged && party && pForm && pInitial) {
      const pc = partyContactsTo(party.contactMedium, pInitial, pForm);
      try {
        const r = await api.patch<Party>(paths.party(party['@type'], party.id), { contactMedium: pc.list }, { ifMatch: party.version });
        const pf = contactsFrom(r.data.contactMedium);
        setParty(r.data);
        setPInitial(pf);
        setPForm(pf);
        partySaved = true;
      } catch (x) {
        setBusy(false);
        if (x instanceof ApiError && x.status === 412) {
          await onConflict('party');
          return;
        }
        if (x instanceof ApiError && x.status === 400 && x.field?.startsWith('contactMedium')) {
          const f = contactFieldOf(x.field, pc.slots) as keyof ContactFields | '';
          if (f) {
            const fe: PartyErrors = { [f]: x.message };
            setPErrors(fe);
            setTop({ kind: 'error', text: t('edit.errors') });
            focusFirstError({}, fe);
            return;
          }
        }
        setTop({ kind: 'error', text: `${t('edit.partyFailed')} ${errorText(i18n, x)}` });
        return;
      }
    }
    if (Object.keys(patch).length === 0) {
      setFlash(t('edit.saved'));
      navigate(`/customers/${encodeURIComponent(base.id)}`);
      return;
    }
    // what the messages below say when the party's part is already saved
    const partyNote = partySaved ? `${t('edit.partySavedOnly')} ` : '';
    try {
      await api.patch<Customer>(paths.customer(base.id), patch, { ifMatch: base.version });
      setFlash(t('edit.saved'));
      navigate(`/customers/${encodeURIComponent(base.id)}`);
    } catch (x) {
      setBusy(false);
      if (x instanceof ApiError && x.status === 412) {
        if (partyNote) setTop({ kind: 'info', text: partyNote.trim() });
        await onConflict('customer');
        return;
      }
      if (x instanceof ApiError && x.status === 400 && x.field) {
        const f = x.field.startsWith('contactMedium') ? contactFieldOf(x.field, slots) : x.field.replace(/\..*$/, '');
        if (f && f in form) {
          const fe = { [f]: x.message } as Errors;
          setErrors(fe);
          setTop({ kind: 'error', text: partyNote + t('edit.errors') });
          focusFirstError(fe);
          return;
        }
      }
      setTop({ kind: 'error', text: partyNote + errorText(i18n, x) });
    }
  };

  const onConflict = async (target: 'customer' | 'party') => {
    try {
      const p = target === 'party' ? party : null;
      const r = p
        ? await api.get<Party>(paths.party(p['@type'], p.id))
        : await api.get<Customer>(paths.customer(base.id));
      let who = '';
      let at = r.data.lastUpdate || '';
      let fields: string[] = [];
      if (can('audit.read')) {
        try {
          const a = await api.get<AuditRow[]>(
            p ? paths.audit(p.id, p['@type'] === 'Organization' ? 'organization' : 'individual') : paths.audit(base.id),
          );
          if (a.data[0]) {
            who = a.data[0].actor;
            at = a.data[0].at;
            fields = changedKeys(a.data[0]);
          }
        } catch {
          /* the time alone then */
        }
      }
      setConflict(p ? { target: 'party', at, who, fields, latest: r.data as Party } : { target: 'customer', at, who, fields, latest: r.data as Customer });
      window.setTimeout(() => document.getElementById('conflict-reload')?.focus(), 0);
    } catch (e) {
      setTop({ kind: 'error', text: errorText(i18n, e) });
    }
  };

  const reload = () => {
    if (!conflict) return;
    if (conflict.target === 'party') {
      if (!pForm || !pInitial) return;
      const latest = conflict.latest;
      const fresh = contactsFrom(latest.contactMedium);
      setPForm(reapply(pInitial, pForm, fresh));
      setPInitial(fresh);
      setParty(latest);
    } else {
      const latest = conflict.latest;
      const fresh = formOf(latest);
      setForm(reapply(initial, form, fresh));
      setInitial(fresh);
      setBase(latest);
    }
    setConflict(null);
    setErrors({});
    setPErrors({});
    setTop({ kind: 'info', text: t('edit.reapplied') });
  };

  const rankOptions = [{ value: '', label: t('edit.none') }, ...RANKS.map((r) => ({ value: r, label: tv('rank', r) }))];
  const segOptions = [
    { value: '', label: t('edit.none') },
    ...SEGMENTS.map((s) => ({ value: s, label: tv('segment', s) })),
    ...(form.segment && !SEGMENTS.includes(form.segment) ? [{ value: form.segment, label: form.segment }] : []),
  ];

  return (
    <section class="page edit">
      <h1>{t('edit.title', { name: base.name })}</h1>
      <p class="sub mono">{base.customerNo}</p>
      {conflict && (
        <Alert kind="warn">
          <p class="conflict">
            {t(conflict.target === 'party' ? 'edit.partyConflict' : 'edit.conflict', {
              at: conflict.at ? dateTime(conflict.at) : '?',
              who: conflict.who || t('edit.conflictUnknown'),
            })}
          </p>
          {conflict.fields.length > 0 && (
            <p class="small">
              {t('edit.conflictFields', {
                fields: conflict.fields
                  .map((k) => fieldLabel(i18n, conflict.target === 'party' ? (party?.['@type'] === 'Organization' ? 'organization' : 'individual') : 'customer', k))
                  .join(', '),
              })}
            </p>
          )}
          <button type="button" class="primary" id="conflict-reload" onClick={reload}>
            {t('edit.reapply')}
          </button>
        </Alert>
      )}
      {top && <Alert kind={top.kind}>{top.text}</Alert>}
      {askBlacklist && (
        <ConfirmDialog
          id="blacklist-dialog"
          title={t('edit.blacklist.title', { name: form.name || base.name })}
          text={`${t('edit.blacklist.text')} ${t('edit.blacklistReason')}: ${tv('reason', form.blacklistReason.trim())}`}
          confirmLabel={t('edit.blacklist.yes')}
          onCancel={() => {
            setAskBlacklist(false);
            window.setTimeout(() => document.getElementById('f-blacklistReason')?.focus(), 0);
          }}
          onConfirm={() => {
            setAskBlacklist(false);
            void save(undefined, true);
          }}
        />
      )}
      <form onSubmit={save} noValidate class="form card">
        <div class="grid">
          <TextField id="f-name" label={t('edit.name')} required value={form.name} onValue={set('name')} error={err('name')} maxLength={200} />
          <SelectField id="f-customerRank" label={t('edit.rank')} value={form.customerRank} onValue={set('customerRank')} options={rankOptions} error={err('customerRank')} />
          <SelectField id="f-segment" label={t('edit.segment')} value={form.segment} onValue={set('segment')} options={segOptions} error={err('segment')} />
        </div>
        {partyEditable && party && pForm && (
          <fieldset class="party-contact">
            <legend>
              {t(party['@type'] === 'Organization' ? 'edit.partyLegendOrg' : 'edit.partyLegendPerson', {
                name: party.fullName || party.tradingName || party.name || base.engagedParty?.name || '',
              })}
            </legend>
            <p class="hint">{t('edit.partyHint')}</p>
            <div class="grid">
              <TextField id="p-mobile" label={t('edit.mobile')} type="tel" inputMode="tel" value={pForm.mobile} onValue={pSet('mobile')} error={pErr('mobile')} />
              <TextField id="p-phone" label={t('edit.phone')} type="tel" inputMode="tel" value={pForm.phone} onValue={pSet('phone')} error={pErr('phone')} />
              <TextField id="p-email" label={t('edit.email')} type="email" value={pForm.email} onValue={pSet('email')} error={pErr('email')} />
            </div>
            <fieldset>
              <legend>{t('edit.partyAddress')}</legend>
              <div class="grid">
                <TextField id="p-stateOrProvince" label={t('edit.province')} value={pForm.stateOrProvince} onValue={pSet('stateOrProvince')} error={pErr('stateOrProvince')} />
                <TextField id="p-city" label={t('edit.city')} value={pForm.city} onValue={pSet('city')} error={pErr('city')} />
                <TextField id="p-district" label={t('edit.district')} value={pForm.district} onValue={pSet('district')} error={pErr('district')} />
                <TextField id="p-street1" label={t('edit.street')} value={pForm.street1} onValue={pSet('street1')} error={pErr('street1')} />
                <TextField id="p-postCode" label={t('edit.postCode')} inputMode="numeric" value={pForm.postCode} onValue={pSet('postCode')} error={pErr('postCode')} />
              </div>
            </fieldset>
          </fieldset>
        )}
        <fieldset>
          <legend>{t('edit.contact')}</legend>
          <p class="hint">{t('edit.contactHint')}</p>
          {!partyEditable && partyContacts.length > 0 && (
            <p class="hint party-contacts">
              {t('edit.partyContacts')}: {partyContacts.map((m) => `${tv('medium', m.mediumType)} ${mediumValue(m)}`).join(' · ')}
            </p>
          )}
          {party && !partyEditable && (
            <p class="hint party-elsewhere" id="party-elsewhere">
              {t('edit.partyElsewhere', { unit: partyReach.unitName })}
            </p>
          )}
          <div class="grid">
            <TextField id="f-mobile" label={t('edit.mobile')} type="tel" inputMode="tel" value={form.mobile} onValue={set('mobile')} error={err('mobile')} />
            <TextField id="f-phone" label={t('edit.phone')} type="tel" inputMode="tel" value={form.phone} onValue={set('phone')} error={err('phone')} />
            <TextField id="f-email" label={t('edit.email')} type="email" value={form.email} onValue={set('email')} error={err('email')} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('edit.ownAddress')}</legend>
          <div class="grid">
            <TextField id="f-stateOrProvince" label={t('edit.province')} value={form.stateOrProvince} onValue={set('stateOrProvince')} error={err('stateOrProvince')} />
            <TextField id="f-city" label={t('edit.city')} value={form.city} onValue={set('city')} error={err('city')} />
            <TextField id="f-district" label={t('edit.district')} value={form.district} onValue={set('district')} error={err('district')} />
            <TextField id="f-street1" label={t('edit.street')} value={form.street1} onValue={set('street1')} error={err('street1')} />
            <TextField id="f-postCode" label={t('edit.postCode')} inputMode="numeric" value={form.postCode} onValue={set('postCode')} error={err('postCode')} />
          </div>
        </fieldset>
        <fieldset>
          <legend>{t('edit.flags')}</legend>
          <CheckField id="f-blacklisted" label={t('edit.blacklisted')} checked={form.blacklisted} onValue={set('blacklisted')} error={err('blacklisted')} />
          {form.blacklisted && (
            <ReasonField
              id="f-blacklistReason"
              label={t('edit.blacklistReason')}
              required
              reasons={REASONS.blacklist}
              value={form.blacklistReason}
              onValue={set('blacklistReason')}
              error={err('blacklistReason')}
            />
          )}
          <CheckField id="f-bigCustomerPotential" label={t('edit.big')} checked={form.bigCustomerPotential} onValue={set('bigCustomerPotential')} />
        </fieldset>
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('edit.saving') : t('edit.save')}
          </button>
          <Link href={`/customers/${encodeURIComponent(base.id)}`} class="button secondary">
            {t('edit.cancel')}
          </Link>
        </div>
      </form>
    </section>
  );
}
