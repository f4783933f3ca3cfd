// /customers/new — register a customer: an individual or an organisation. The identity
// checks run here first (validate.ts, the server's rules); a valid resident ID fills in
// the birth date and gender it carries (editable); then the party is created
// (POST /tmf-api/party/v4/individual or /organization) and the customer engaging it;
// server errors land at their field; on success the customer's 360° page opens. A person or
// organisation registered already (409) shows the server's message and, when the server
// names the existing party (conflictsWith, a party the user may read), leads to its
// customer (GET customer?engagedParty.id=…) — or says that it has none. What was typed is
// kept with the page's history entry, so that going back to it finds the form as it was.
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, paths } from '../api';
import { useI18n, type MsgKey } from '../i18n';
import { useSession } from '../session';
import { navigate } from '../router';
import { errorText } from '../errors';
import { setFlash } from '../flash';
import type { Customer, OrgUnit, Party } from '../types';
import { checkEmail, checkIdDocument, checkMobile, checkUSCC, ID_DOCUMENT_TYPES, idBirthAndGender, type Check } from '../validate';
import { contactFieldOf, contactsTo, emptyContacts, type ContactFields } from '../contactForm';
import { Alert, SelectField, TextField } from '../components/form';
import { Link } from '../components/link';
import { useTitle } from '../components/title';

type Kind = 'individual' | 'organization';

interface Form extends ContactFields {
  kind: Kind;
  familyName: string;
  givenName: string;
  gender: string;
  birthDate: string;
  idType: string;
  idNumber: string;
  orgName: string;
  tradingName: string;
  uscc: string;
  orgId: string;
  status: string;
}

type Errors = Partial<Record<keyof Form, string>>;

/** A registration refused because the person or organisation is registered already (409). */
interface Existing {
  message: string;
  /** the existing party's href (conflictsWith), when the user may read it */
  href?: string;
  /** its customers: undefined while looked up, null when the lookup failed */
  customers?: Pick<Customer, 'id' | 'name' | 'customerNo'>[] | null;
}

interface Draft {
  user: string;
  form: Form;
  fromId: { birthDate: string; gender: string } | null;
  existing: Existing | null;
}

// What was typed, by history entry (its state holds the key), for the way back; in memory
// only, for the user who typed it.
const drafts = new Map<string, Draft>();
const DRAFT_KEY = 'newCustomerDraft';
const MAX_DRAFTS = 5;

function takeDraftKey(): string {
  const st = history.state as Record<string, unknown> | null;
  const key = typeof st?.[DRAFT_KEY] === 'string' ? (st[DRAFT_KEY] as string) : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  history.replaceState({ ...(st || {}), [DRAFT_KEY]: key }, '');
  return key;
}

function keepDraft(key: string, d: Draft) {
  drafts.delete(key);
  drafts.set(key, d);
  while (drafts.size > MAX_DRAFTS) drafts.delete(drafts.keys().next().value as string);
}

/** The party's id from its href (/tmf-api/party/v4/individual/ID). */
const partyIdOf = (href: string) => decodeURIComponent(href.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() || '');

const blank = (orgId: string): Form => ({
  kind: 'individual',
  familyName: '',
  givenName: '',
  gender: '',
  birthDate: '',
  idType: 'residentId',
  idNumber: '',
  orgName: '',
  tradingName: '',
  uscc: '',
  orgId,
  status: 'active',
  ...emptyContacts(),
});

export function CustomerNew() {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const { session } = useSession();
  const user = session?.user.id || '';
  const [draftKey] = useState(takeDraftKey);
  const [draft] = useState(() => {
    const d = drafts.get(draftKey);
    return d && d.user === user ? d : null;
  });
  const [form, setForm] = useState<Form>(() => draft?.form || blank(session?.user.orgId || ''));
  const [existing, setExisting] = useState<Existing | null>(draft?.existing || null);
  const [errors, setErrors] = useState<Errors>({});
  const [top, setTop] = useState('');
  const [busy, setBusy] = useState(false);
  const [units, setUnits] = useState<OrgUnit[]>([]);
  // a party made by an earlier attempt whose customer failed: reused when unchanged
  const [made, setMade] = useState<{ key: string; party: Party } | null>(null);
  // the birth date and gender the ID number gave last (filled in again only when the
  // number says something else, so that a correction by hand stays)
  const [fromId, setFromId] = useState<{ birthDate: string; gender: string } | null>(draft?.fromId || null);
  useTitle(t('new.title'));

  useEffect(() => {
    if (user) keepDraft(draftKey, { user, form, fromId, existing });
  }, [form, fromId, existing]);

  /** The existing party's customers, for the way to them. */
  const lookUp = (href: string) => {
    api
      .get<Customer[]>(`${paths.customers}?engagedParty.id=${encodeURIComponent(partyIdOf(href))}&fields=id,name,customerNo&limit=10`)
      .then((r) => r.data)
      .catch(() => null)
      .then((customers) => setExisting((cur) => (cur && cur.href === href ? { ...cur, customers } : cur)));
  };
  // back on a form left while its lookup was under way
  useEffect(() => {
    if (existing?.href && existing.customers === undefined) lookUp(existing.href);
  }, []);

  useEffect(() => {
    api
      .get<OrgUnit[]>(paths.orgUnits)
      .then((r) => setUnits(r.data.filter((u) => u.status !== 'closed')))
      .catch(() => setUnits([]));
  }, []);

  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => (e[k] ? { ...e, [k]: undefined } : e));
    // another number (or kind) is another question than the one the server answered
    if (k === 'kind' || k === 'idType' || k === 'idNumber' || k === 'uscc') setExisting(null);
  };
  /** A valid ID number of GB 11643's form fills birth date and gender (both editable). */
  const fillFromId = (type: string, number: string) => {
    const d = idBirthAndGender(type, number);
    if (!d || (fromId && fromId.birthDate === d.birthDate && fromId.gender === d.gender)) return;
    setFromId(d);
    setForm((f) => ({ ...f, birthDate: d.birthDate, gender: d.gender }));
    setErrors((e) => (e.birthDate || e.gender ? { ...e, birthDate: undefined, gender: undefined } : e));
  };
  const filledFromId = !!fromId && form.birthDate === fromId.birthDate && form.gender === fromId.gender;
  const indiv = form.kind === 'individual';
  const text = (c: Check) => (c.ok ? undefined : t(c.key, c.vars));
  const req: MsgKey = 'v.required';

  const check = (): Errors => {
    const e: Errors = {};
    if (indiv) {
      if (!form.familyName.trim()) e.familyName = t(req);
      if (!form.givenName.trim()) e.givenName = t(req);
      if (form.idNumber.trim()) e.idNumber = text(checkIdDocument(form.idType, form.idNumber.trim()));
      if (form.mobile.trim()) e.mobile = text(checkMobile(form.mobile.trim()));
    } else {
      if (!form.tradingName.trim()) e.tradingName = t(req);
      if (form.uscc.trim()) e.uscc = text(checkUSCC(form.uscc.trim()));
    }
    if (form.email.trim()) e.email = text(checkEmail(form.email.trim()));
    for (const k of Object.keys(e) as (keyof Form)[]) if (!e[k]) delete e[k];
    return e;
  };

  const partyBody = (): { body: Record<string, unknown>; slots: string[] } => {
    const contacts: ContactFields = indiv ? { ...form, phone: '' } : { ...form, mobile: '' };
    const { list, slots } = contactsTo([], contacts);
    const body: Record<string, unknown> = {};
    if (indiv) {
      body.familyName = form.familyName.trim();
      body.givenName = form.givenName.trim();
      if (form.gender) body.gender = form.gender;
      if (form.birthDate) body.birthDate = form.birthDate;
      if (form.idNumber.trim()) body.individualIdentification = [{ identificationType: form.idType, identificationId: form.idNumber.trim() }];
    } else {
      body.tradingName = form.tradingName.trim();
      if (form.orgName.trim()) body.name = form.orgName.trim();
      if (form.uscc.trim()) body.organizationIdentification = [{ identificationType: 'unifiedSocialCreditCode', identificationId: form.uscc.trim() }];
    }
    if (list.length) body.contactMedium = list;
    if (form.orgId) body.orgId = form.orgId;
    return { body, slots };
  };

  const fieldOf = (field: string, slots: string[]): keyof Form | '' => {
    if (field.startsWith('contactMedium')) return contactFieldOf(field, slots) as keyof Form | '';
    if (field.startsWith('individualIdentification')) return 'idNumber';
    if (field.startsWith('organizationIdentification')) return 'uscc';
    if (field === 'name') return indiv ? '' : 'orgName';
    if (field === 'engagedParty') return '';
    return field in form ? (field as keyof Form) : '';
  };

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setTop('');
    setExisting(null);
    const e = check();
    setErrors(e);
    if (Object.keys(e).length) {
      setTop(t('edit.errors'));
      const first = (Object.keys(e) as (keyof Form)[])[0];
      document.getElementById(`n-${first}`)?.focus();
      return;
    }
    const { body, slots } = partyBody();
    const key = JSON.stringify([form.kind, body]);
    setBusy(true);
    try {
      let party = made && made.key === key ? made.party : null;
      if (!party) {
        if (made) void api.del(`${indiv ? paths.individual : paths.organization}/${made.party.id}`).catch(() => {});
        party = (await api.post<Party>(indiv ? paths.individual : paths.organization, body)).data;
        setMade({ key, party });
      }
      const customer: Record<string, unknown> = {
        engagedParty: { id: party.id, '@referredType': indiv ? 'Individual' : 'Organization' },
        status: form.status,
      };
      if (form.orgId) customer.orgId = form.orgId;
      const c = await api.post<Customer>(paths.customers, customer);
      drafts.delete(draftKey);
      setFlash(t('edit.saved'));
      navigate(`/customers/${encodeURIComponent(c.data.id)}`, { replace: true });
    } catch (x) {
      setBusy(false);
      if (x instanceof ApiError && x.status === 409 && x.field && /Identification/.test(x.field)) {
        registeredAlready(x, indiv ? 'idNumber' : 'uscc');
        return;
      }
      if (x instanceof ApiError && x.field) {
        const f = fieldOf(x.field, slots);
        if (f) {
          setErrors({ [f]: x.message });
          setTop(t('edit.errors'));
          document.getElementById(`n-${f}`)?.focus();
          return;
        }
      }
      setTop(errorText(i18n, x));
    }
  };

  /** Registered already: the server's message, and the way to the existing record. */
  const registeredAlready = (x: ApiError, field: keyof Form) => {
    const href = x.body.conflictsWith;
    const found: Existing = { message: x.message, href };
    setErrors({ [field]: t('new.registered') });
    setExisting(found);
    window.setTimeout(() => document.getElementById('existing')?.focus(), 0);
    if (href) lookUp(href);
  };

  const indent = (u: OrgUnit) => ({ hq: 0, province: 1, city: 2, hall: 3, team: 4 })[u.kind] ?? 0;
  const unitOptions = units.length
    ? units.map((u) => ({ value: u.id, label: `${'\u2003'.repeat(indent(u))}${u.name} (${u.id})` }))
    : [{ value: form.orgId, label: form.orgId }];
  const f = (k: keyof Form) => `n-${k}`;

  return (
    <section class="page new">
      <h1>{t('new.title')}</h1>
      {existing && (
        <div id="existing" tabIndex={-1} data-existing={existing.href ? 'readable' : 'elsewhere'}>
          <Alert kind="warn">
            <p class="existing-message">{existing.message}</p>
            {existing.href && existing.customers === undefined && <p class="muted">{t('new.existingLooking')}</p>}
            {existing.customers === null && <p>{t('new.existingFailed')}</p>}
            {existing.customers?.length === 0 && <p>{t(indiv ? 'new.existingNoCustomer' : 'new.existingNoCustomerOrg')}</p>}
            {existing.customers?.length === 1 && (
              <p>
                <Link href={`/customers/${encodeURIComponent(existing.customers[0].id)}`} class="button primary" title={`${existing.customers[0].customerNo} ${existing.customers[0].name}`}>
                  {t('new.openExisting')}
                </Link>
              </p>
            )}
            {existing.customers && existing.customers.length > 1 && (
              <>
                <p>{t('new.openExistingOf')}</p>
                <ul class="existing-list">
                  {existing.customers.map((c) => (
                    <li key={c.id}>
                      <Link href={`/customers/${encodeURIComponent(c.id)}`}>
                        <span class="mono">{c.customerNo}</span> {c.name}
                      </Link>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </Alert>
        </div>
      )}
      {top && <Alert kind="error">{top}</Alert>}
      <form class="form card" onSubmit={submit} noValidate>
        <fieldset class="kind">
          <legend>{t('new.kind')}</legend>
          {(['individual', 'organization'] as Kind[]).map((k) => (
            <label key={k} class="radio">
              <input type="radio" name="kind" value={k} checked={form.kind === k} onChange={() => set('kind')(k)} />
              {t(k === 'individual' ? 'new.individual' : 'new.organization')}
            </label>
          ))}
        </fieldset>
        {indiv ? (
          <div class="grid" key="individual">
            <TextField id={f('familyName')} label={t('new.familyName')} required value={form.familyName} onValue={set('familyName')} error={errors.familyName} maxLength={50} />
            <TextField id={f('givenName')} label={t('new.givenName')} required value={form.givenName} onValue={set('givenName')} error={errors.givenName} maxLength={50} />
            <SelectField
              id={f('gender')}
              label={t('new.gender')}
              value={form.gender}
              onValue={set('gender')}
              error={errors.gender}
              options={[{ value: '', label: t('new.choose') }, ...['male', 'female', 'other'].map((g) => ({ value: g, label: tv('gender', g) }))]}
            />
            <TextField
              id={f('birthDate')}
              label={t('new.birthDate')}
              type="date"
              value={form.birthDate}
              onValue={set('birthDate')}
              error={errors.birthDate}
              hint={filledFromId ? t('new.fromId') : undefined}
            />
            <SelectField
              id={f('idType')}
              label={t('new.idType')}
              value={form.idType}
              onValue={(v) => {
                set('idType')(v);
                setErrors((e) => (e.idNumber ? { ...e, idNumber: undefined } : e));
                fillFromId(v, form.idNumber);
              }}
              options={ID_DOCUMENT_TYPES.map(({ type }) => ({ value: type, label: tv('id', type) }))}
            />
            <TextField
              id={f('idNumber')}
              label={t('new.idNumber')}
              value={form.idNumber}
              onValue={(v) => {
                set('idNumber')(v);
                fillFromId(form.idType, v);
              }}
              error={errors.idNumber}
              maxLength={40}
              onBlur={() => {
                if (form.idNumber.trim()) setErrors((e) => ({ ...e, idNumber: text(checkIdDocument(form.idType, form.idNumber.trim())) }));
              }}
            />
            <TextField
              id={f('mobile')}
              label={t('edit.mobile')}
              type="tel"
              inputMode="tel"
              value={form.mobile}
              onValue={set('mobile')}
              error={errors.mobile}
              onBlur={() => form.mobile.trim() && setErrors((e) => ({ ...e, mobile: text(checkMobile(form.mobile.trim())) }))}
            />
            <TextField id={f('email')} label={t('edit.email')} type="email" value={form.email} onValue={set('email')} error={errors.email} />
          </div>
        ) : (
          <div class="grid" key="organization">
            <TextField id={f('orgName')} label={t('new.orgName')} value={form.orgName} onValue={set('orgName')} error={errors.orgName} maxLength={200} />
            <TextField id={f('tradingName')} label={t('new.tradingName')} required value={form.tradingName} onValue={set('tradingName')} error={errors.tradingName} maxLength={200} />
            <TextField
              id={f('uscc')}
              label={t('new.uscc')}
              value={form.uscc}
              onValue={set('uscc')}
              error={errors.uscc}
              maxLength={18}
              onBlur={() => form.uscc.trim() && setErrors((e) => ({ ...e, uscc: text(checkUSCC(form.uscc.trim())) }))}
            />
            <TextField id={f('phone')} label={t('edit.phone')} type="tel" inputMode="tel" value={form.phone} onValue={set('phone')} error={errors.phone} />
            <TextField id={f('email')} label={t('edit.email')} type="email" value={form.email} onValue={set('email')} error={errors.email} />
          </div>
        )}
        <fieldset>
          <legend>{t('edit.address')}</legend>
          <div class="grid">
            <TextField id={f('stateOrProvince')} label={t('edit.province')} value={form.stateOrProvince} onValue={set('stateOrProvince')} error={errors.stateOrProvince} />
            <TextField id={f('city')} label={t('edit.city')} value={form.city} onValue={set('city')} error={errors.city} />
            <TextField id={f('district')} label={t('edit.district')} value={form.district} onValue={set('district')} error={errors.district} />
            <TextField id={f('street1')} label={t('edit.street')} value={form.street1} onValue={set('street1')} error={errors.street1} />
            <TextField id={f('postCode')} label={t('edit.postCode')} inputMode="numeric" value={form.postCode} onValue={set('postCode')} error={errors.postCode} />
          </div>
        </fieldset>
        <div class="grid">
          <SelectField id={f('orgId')} label={t('new.org')} value={form.orgId} onValue={set('orgId')} error={errors.orgId} options={unitOptions} />
          <SelectField
            id={f('status')}
            label={t('flags.status')}
            value={form.status}
            onValue={set('status')}
            options={['active', 'prospective'].map((s) => ({ value: s, label: tv('status', s) }))}
          />
        </div>
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('new.busy') : t('new.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
