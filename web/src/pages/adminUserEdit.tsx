// /admin/users/new and /admin/users/:id — create a staff account (login, display name,
// org unit, roles, initial password under the policy) or change one (display name, org
// unit, roles, status — disabling after a confirmation —, contact; unlock a locked
// account; reset the password). Changes go as a merge PATCH of what changed with
// If-Match; a 400/409 naming a field is shown at the field, a 403 (granting what the caller does not hold: "no climbing") at the top in plain
// words, a 412 says who changed the user meanwhile and offers to reload and re-apply.
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../routes';
import { api, ApiError } from '../api';
import { useI18n, type MsgKey } from '../i18n';
import { can } from '../session';
import { navigate } from '../router';
import { ConfirmDialog } from '../components/confirm';
import { setFlash } from '../flash';
import { checkEmail, checkMobile } from '../validate';
import { Alert, SelectField, TextField } from '../components/form';
import { Link } from '../components/link';
import { useTitle } from '../components/title';
import { NotLoaded } from './notFound';
import {
  adminPaths,
  BackLink,
  formError,
  isLocked,
  lastChange,
  roleLabel,
  unitOptions,
  useList,
  type AdminUser,
  type Role,
  type Unit,
} from './adminShared';

interface Form {
  login: string;
  displayName: string;
  orgId: string;
  roles: string[];
  password: string;
  status: string;
  mobile: string;
  email: string;
}
type Errors = Partial<Record<keyof Form, string>>;
const FIELDS: (keyof Form)[] = ['login', 'displayName', 'orgId', 'roles', 'password', 'status', 'mobile', 'email'];

const EMPTY: Form = { login: '', displayName: '', orgId: '', roles: [], password: '', status: 'active', mobile: '', email: '' };

function formOf(u: AdminUser): Form {
  return { login: u.login, displayName: u.displayName || '', orgId: u.orgId, roles: [...u.roles], password: '', status: u.status, mobile: u.mobile || '', email: u.email || '' };
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));

/** The password policy (docs/identity.md): 10–128 characters, letters and digits, not the login. */
export function checkPassword(pw: string, login: string): { key: MsgKey; vars?: Record<string, number> } | null {
  const n = [...pw].length;
  if (n < 10 || n > 128) return { key: 'admin.v.password.length', vars: { n } };
  if (!/\p{L}/u.test(pw) || !/\p{Nd}/u.test(pw)) return { key: 'admin.v.password.mix' };
  if (login && pw.toLowerCase() === login.toLowerCase()) return { key: 'admin.v.password.login' };
  return null;
}

const LOGIN_RE = /^[a-z0-9][a-z0-9._-]+$/;

export function AdminUserEdit({ params }: PageProps) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  const creating = !params.id;
  const [user, setUser] = useState<AdminUser | null>(null);
  const [initial, setInitial] = useState<Form>(EMPTY);
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [top, setTop] = useState<{ kind: 'error' | 'info' | 'warn' | 'ok'; text: string } | null>(null);
  const [conflict, setConflict] = useState<{ at: string; who: string; latest: AdminUser } | null>(null);
  const [busy, setBusy] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [newPw, setNewPw] = useState('');
  const [pwError, setPwError] = useState('');
  const [pwMsg, setPwMsg] = useState<{ kind: 'error' | 'ok'; text: string } | null>(null);
  const [askDisable, setAskDisable] = useState(false);
  const units = useList<Unit>(adminPaths.units).items;
  const roles = useList<Role>(adminPaths.roles).items;
  useTitle(creating ? t('admin.user.new') : t('admin.user.edit', { login: user?.login || '' }));

  const load = (u: AdminUser) => {
    setUser(u);
    const f = formOf(u);
    setInitial(f);
    setForm(f);
  };

  useEffect(() => {
    if (creating) return;
    const ctl = new AbortController();
    api
      .get<AdminUser>(adminPaths.user(params.id), { signal: ctl.signal })
      .then((r) => load(r.data))
      .catch((e) => !ctl.signal.aborted && setLoadError(e));
    return () => ctl.abort();
  }, [params.id]);

  if (loadError || (!creating && !user)) return <NotLoaded error={loadError} />;

  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => (e[k] ? { ...e, [k]: undefined } : e));
  };
  const toggleRole = (id: string, on: boolean) => set('roles')(on ? [...form.roles, id] : form.roles.filter((r) => r !== id));

  const check = (): Errors => {
    const e: Errors = {};
    if (creating) {
      if (!form.login.trim()) e.login = t('v.required');
      else if (!LOGIN_RE.test(form.login.trim())) e.login = t('admin.v.login');
      const p = checkPassword(form.password, form.login.trim());
      if (!form.password) e.password = t('v.required');
      else if (p) e.password = t(p.key, p.vars);
    }
    if (!form.displayName.trim()) e.displayName = t('v.required');
    if (!form.orgId) e.orgId = t('v.required');
    if (form.mobile !== initial.mobile && form.mobile.trim()) {
      const r = checkMobile(form.mobile.trim());
      if (!r.ok) e.mobile = t(r.key, r.vars);
    }
    if (form.email !== initial.email && form.email.trim()) {
      const r = checkEmail(form.email.trim());
      if (!r.ok) e.email = t(r.key, r.vars);
    }
    return e;
  };

  const focusField = (k: string) => {
    const el = document.getElementById(k === 'roles' ? 'u-roles-first' : `u-${k}`);
    el?.focus();
  };

  const fail = (x: unknown) => {
    const fe = formError(i18n, x, FIELDS);
    if (fe.field) {
      setErrors({ [fe.field]: fe.text });
      setTop({ kind: 'error', text: t('admin.errors') });
      focusField(fe.field);
    } else setTop({ kind: 'error', text: fe.text });
  };

  const submit = async (ev?: Event, confirmed = false) => {
    ev?.preventDefault();
    setTop(null);
    const e = check();
    const first = FIELDS.find((k) => e[k]);
    if (first) {
      setErrors(e);
      setTop({ kind: 'error', text: t('admin.errors') });
      focusField(first);
      return;
    }
    if (creating) {
      const body: Record<string, unknown> = {
        login: form.login.trim(),
        displayName: form.displayName.trim(),
        orgId: form.orgId,
        roles: form.roles,
        password: form.password,
      };
      if (form.mobile.trim()) body.mobile = form.mobile.trim();
      if (form.email.trim()) body.email = form.email.trim();
      setBusy(true);
      try {
        await api.post<AdminUser>(adminPaths.usersBase, body);
        setFlash(t('admin.user.created.ok', { login: form.login.trim() }));
        navigate('/admin/users');
      } catch (x) {
        setBusy(false);
        fail(x);
      }
      return;
    }
    const u = user!;
    const patch: Record<string, unknown> = {};
    if (form.displayName !== initial.displayName) patch.displayName = form.displayName.trim();
    if (form.orgId !== initial.orgId) patch.orgId = form.orgId;
    if (!sameSet(form.roles, initial.roles)) patch.roles = form.roles;
    if (form.status !== initial.status) patch.status = form.status;
    if (form.mobile !== initial.mobile) patch.mobile = form.mobile.trim() || null;
    if (form.email !== initial.email) patch.email = form.email.trim() || null;
    if (Object.keys(patch).length === 0) {
      setTop({ kind: 'info', text: t('admin.nothing') });
      return;
    }
    // disabling ends the user's sessions: asked first (the API takes no reason for it)
    if (patch.status === 'disabled' && !confirmed) {
      setAskDisable(true);
      return;
    }
    setBusy(true);
    try {
      await api.patch<AdminUser>(adminPaths.user(u.id), patch, { ifMatch: u.version });
      setFlash(t('admin.user.saved', { login: u.login }));
      navigate('/admin/users');
    } catch (x) {
      setBusy(false);
      if (x instanceof ApiError && x.status === 412) {
        try {
          const r = await api.get<AdminUser>(adminPaths.user(u.id));
          const who = await lastChange('user', u.id, can('audit.read'));
          setConflict({ at: who.at || r.data.lastUpdate || '', who: who.who, latest: r.data });
        } catch (y) {
          fail(y);
        }
        return;
      }
      fail(x);
    }
  };

  const reapply = () => {
    if (!conflict) return;
    const fresh = formOf(conflict.latest);
    const out = { ...fresh } as Record<string, unknown>;
    for (const k of FIELDS) {
      const changed = k === 'roles' ? !sameSet(form.roles, initial.roles) : form[k] !== initial[k];
      if (changed) out[k] = form[k];
    }
    setUser(conflict.latest);
    setInitial(fresh);
    setForm(out as unknown as Form);
    setConflict(null);
    setErrors({});
    setTop({ kind: 'info', text: t('admin.reapplied') });
  };

  /** A PATCH of its own (unlock, password reset), on the current version. */
  const action = async (body: Record<string, unknown>, where: 'top' | 'pw'): Promise<boolean> => {
    let u = user!;
    for (let attempt = 0; ; attempt++) {
      try {
        const r = await api.patch<AdminUser>(adminPaths.user(u.id), body, { ifMatch: u.version });
        // what is being typed in the main form stays; the version and the lock move on
        setUser(r.data);
        return true;
      } catch (x) {
        let err = x;
        if (x instanceof ApiError && x.status === 412 && attempt === 0) {
          try {
            u = (await api.get<AdminUser>(adminPaths.user(u.id))).data;
            setUser(u);
            continue;
          } catch (y) {
            err = y;
          }
        }
        const fe = formError(i18n, err, ['password']);
        if (where === 'top') setTop({ kind: 'error', text: fe.text });
        else if (fe.field === 'password') setPwError(fe.text);
        else setPwMsg({ kind: 'error', text: fe.text });
        return false;
      }
    }
  };

  const unlock = async () => {
    setTop(null);
    if (await action({ locked: false }, 'top')) setTop({ kind: 'ok', text: t('admin.user.unlocked') });
  };

  const resetPassword = async (ev: Event) => {
    ev.preventDefault();
    setPwMsg(null);
    const p = checkPassword(newPw, user!.login);
    if (!newPw || p) {
      setPwError(p ? t(p.key, p.vars) : t('v.required'));
      document.getElementById('u-newPassword')?.focus();
      return;
    }
    setPwError('');
    if (await action({ password: newPw }, 'pw')) {
      setNewPw('');
      setPwMsg({ kind: 'ok', text: t('admin.user.resetDone') });
    }
  };

  const orgOpts = unitOptions(
    units?.filter((u) => u.status === 'active' || u.id === form.orgId) || null,
    { value: '', label: t('new.choose') },
  );

  return (
    <section class="page edit admin">
      <BackLink />
      <h1>{creating ? t('admin.user.new') : t('admin.user.edit', { login: user!.login })}</h1>
      {user && (
        <p class="sub">
          {t('admin.user.created')}: {dateTime(user.createdDate)} · {t('admin.user.lastLogin')}:{' '}
          {user.lastLogin ? dateTime(user.lastLogin) : t('admin.user.never')}
        </p>
      )}
      {user && isLocked(user) && (
        <Alert kind="warn">
          <p>{t('admin.user.lockedUntil', { until: dateTime(user.lockedUntil) })}</p>
          <button type="button" class="primary" id="u-unlock" onClick={unlock}>
            {t('admin.user.unlock')}
          </button>
        </Alert>
      )}
      {conflict && (
        <Alert kind="warn">
          <p class="conflict">{t('admin.conflict', { at: dateTime(conflict.at), who: conflict.who || t('admin.conflictUnknown') })}</p>
          <button type="button" class="primary" onClick={reapply}>
            {t('admin.reapply')}
          </button>
        </Alert>
      )}
      {top && <Alert kind={top.kind}>{top.text}</Alert>}
      {askDisable && user && (
        <ConfirmDialog
          id="disable-user-dialog"
          title={t('admin.user.disableConfirm', { login: user.login })}
          text={t('admin.user.disableText')}
          confirmLabel={t('admin.user.disableYes')}
          onCancel={() => {
            setAskDisable(false);
            window.setTimeout(() => document.getElementById('u-status')?.focus(), 0);
          }}
          onConfirm={() => {
            setAskDisable(false);
            void submit(undefined, true);
          }}
        />
      )}
      <form onSubmit={submit} noValidate class="form card" id="user-form">
        <div class="grid">
          {creating && (
            <TextField id="u-login" label={t('admin.user.login')} required value={form.login} onValue={set('login')} error={errors.login} hint={t('admin.user.loginHint')} maxLength={64} autoComplete="off" />
          )}
          <TextField id="u-displayName" label={t('admin.user.displayName')} required value={form.displayName} onValue={set('displayName')} error={errors.displayName} maxLength={200} />
          <SelectField id="u-orgId" label={t('admin.user.org')} required value={form.orgId} onValue={set('orgId')} options={orgOpts} error={errors.orgId} />
          {!creating && (
            <SelectField
              id="u-status"
              label={t('admin.user.status')}
              value={form.status}
              onValue={set('status')}
              error={errors.status}
              hint={t('admin.user.disabledNote')}
              options={[
                { value: 'active', label: t('admin.user.status.active') },
                { value: 'disabled', label: t('admin.user.status.disabled') },
              ]}
            />
          )}
          {creating && (
            <TextField
              id="u-password"
              label={t('admin.user.password')}
              required
              type="password"
              autoComplete="new-password"
              value={form.password}
              onValue={set('password')}
              error={errors.password}
              hint={t('admin.user.policy')}
              maxLength={128}
            />
          )}
          <TextField id="u-mobile" label={t('admin.user.mobile')} type="tel" inputMode="tel" value={form.mobile} onValue={set('mobile')} error={errors.mobile} />
          <TextField id="u-email" label={t('admin.user.email')} type="email" value={form.email} onValue={set('email')} error={errors.email} />
        </div>
        <fieldset class={errors.roles ? 'roles invalid' : 'roles'} aria-describedby={errors.roles ? 'u-roles-error u-roles-hint' : 'u-roles-hint'}>
          <legend>{t('admin.user.roles')}</legend>
          <p class="hint" id="u-roles-hint">
            {t('admin.user.rolesHint')}
          </p>
          <div class="checks">
            {(roles || []).map((r, i) => (
              <label key={r.id} class={r.permissions.every(can) ? 'check-option' : 'check-option off'}>
                <input
                  type="checkbox"
                  id={i === 0 ? 'u-roles-first' : undefined}
                  name="roles"
                  value={r.id}
                  disabled={!r.permissions.every(can)}
                  checked={form.roles.includes(r.id)}
                  onChange={(e) => toggleRole(r.id, (e.currentTarget as HTMLInputElement).checked)}
                />
                <span>
                  {roleLabel(i18n, r.id, roles)} <span class="mono muted">{r.id}</span>
                </span>
              </label>
            ))}
          </div>
          {errors.roles && (
            <span class="error" id="u-roles-error">
              {errors.roles}
            </span>
          )}
        </fieldset>
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? (creating ? t('admin.user.creating') : t('admin.saving')) : creating ? t('admin.user.create') : t('admin.save')}
          </button>
          <Link href="/admin/users" class="button secondary">
            {t('admin.cancel')}
          </Link>
        </div>
      </form>
      {user && (
        <form onSubmit={resetPassword} noValidate class="form card reset" id="reset-form">
          <h2>{t('admin.user.reset')}</h2>
          <p class="hint">{t('admin.user.resetHint')}</p>
          {pwMsg && <Alert kind={pwMsg.kind}>{pwMsg.text}</Alert>}
          <TextField
            id="u-newPassword"
            label={t('admin.user.newPassword')}
            type="password"
            autoComplete="new-password"
            value={newPw}
            onValue={(v) => {
              setNewPw(v);
              setPwError('');
            }}
            error={pwError}
            hint={t('admin.user.policy')}
            maxLength={128}
          />
          <div class="buttons">
            <button type="submit">{t('admin.user.reset')}</button>
          </div>
        </form>
      )}
    </section>
  );
}
