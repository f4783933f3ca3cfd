// /admin/roles/new and /admin/roles/:id — a role's name, description and permissions as
// checkboxes from the catalogue (GET /api/v1/permissions, each with its description), and
// beside each granted permission its depth: how far it reaches from the holder's unit
// (the unit, the unit and below — the default —, the province, everything), sent as
// "depths" (those not the default; the whole list whenever permissions or depths change).
// Permissions the caller does not hold cannot be granted ("no climbing"): their boxes are
// greyed out, as are the depths beyond the caller's own reach, and the server's 403 is
// shown plainly if it refuses anyway. Saved as a merge PATCH with If-Match; a 412 says who
// changed the role and offers reload-and-re-apply.
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../routes';
import { api, ApiError } from '../api';
import { useI18n } from '../i18n';
import { can } from '../session';
import { navigate } from '../router';
import { setFlash } from '../flash';
import { Alert, TextField } from '../components/form';
import { Link } from '../components/link';
import { useTitle } from '../components/title';
import { NotLoaded } from './notFound';
import { adminPaths, BackLink, formError, lastChange, permLabel, roleDescription, useList, type Permission, type Role } from './adminShared';
import { DEFAULT_DEPTH, DEPTHS, depthRank, roleDepth, userReach, type Depth, type PermDepth } from '../reach';

interface Form {
  id: string;
  name: string;
  description: string;
  permissions: string[];
  /** the depths chosen, by permission (one not listed: the default) */
  depths: Record<string, Depth>;
}
type Errors = Partial<Record<keyof Form, string>>;
const FIELDS: (keyof Form)[] = ['id', 'name', 'description', 'permissions', 'depths'];
const EMPTY: Form = { id: '', name: '', description: '', permissions: [], depths: {} };
const formOf = (r: Role): Form => ({
  id: r.id,
  name: r.name || '',
  description: r.description || '',
  permissions: [...r.permissions],
  depths: Object.fromEntries(r.permissions.map((p) => [p, roleDepth(r, p) || DEFAULT_DEPTH])),
});
const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
const depthOf = (f: Form, p: string): Depth => f.depths[p] || DEFAULT_DEPTH;
/** What "depths" says of a form: its granted permissions whose depth is not the default. */
const depthsOf = (f: Form): PermDepth[] =>
  f.permissions.filter((p) => depthOf(f, p) !== DEFAULT_DEPTH).map((p) => ({ permission: p, depth: depthOf(f, p) }));
const sameDepths = (a: PermDepth[], b: PermDepth[]) => a.length === b.length && a.every((x) => b.some((y) => y.permission === x.permission && y.depth === x.depth));
const ROLE_ID = /^[a-z0-9][a-z0-9_]*$/;

export function AdminRoleEdit({ params }: PageProps) {
  const i18n = useI18n();
  const { t, tv, dateTime } = i18n;
  const creating = !params.id;
  const [role, setRole] = useState<Role | null>(null);
  const [initial, setInitial] = useState<Form>(EMPTY);
  const [form, setForm] = useState<Form>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [top, setTop] = useState<{ kind: 'error' | 'info'; text: string } | null>(null);
  const [conflict, setConflict] = useState<{ at: string; who: string; latest: Role } | null>(null);
  const [busy, setBusy] = useState(false);
  const [loadError, setLoadError] = useState<unknown>(null);
  const perms = useList<Permission>(adminPaths.permissions).items;
  // how far the caller reaches with each permission: no depth beyond it can be given
  const [mine, setMine] = useState<Record<string, Depth>>({});
  useEffect(() => {
    if (!perms) return;
    let live = true;
    void Promise.all(perms.map(async (p) => [p.name, await userReach(p.name)] as const)).then((r) => live && setMine(Object.fromEntries(r)));
    return () => {
      live = false;
    };
  }, [perms]);
  useTitle(creating ? t('admin.role.new') : t('admin.role.edit', { name: role?.name || params.id }));

  useEffect(() => {
    if (creating) return;
    const ctl = new AbortController();
    api
      .get<Role>(adminPaths.role(params.id), { signal: ctl.signal })
      .then((r) => {
        setRole(r.data);
        setInitial(formOf(r.data));
        setForm(formOf(r.data));
      })
      .catch((e) => !ctl.signal.aborted && setLoadError(e));
    return () => ctl.abort();
  }, [params.id]);

  if (loadError || (!creating && !role)) return <NotLoaded error={loadError} />;

  const set = <K extends keyof Form>(k: K) => (v: Form[K]) => {
    setForm((f) => ({ ...f, [k]: v }));
    setErrors((e) => (e[k] ? { ...e, [k]: undefined } : e));
  };
  const toggle = (p: string, on: boolean) => set('permissions')(on ? [...form.permissions, p] : form.permissions.filter((x) => x !== p));
  const setDepth = (p: string, d: Depth) => set('depths')({ ...form.depths, [p]: d });
  const focusField = (k: string) =>
    (k === 'permissions' || k === 'depths' ? document.querySelector<HTMLElement>('#role-form [data-first]') : document.getElementById(`r-${k}`))?.focus();

  const fail = (x: unknown) => {
    const fe = formError(i18n, x, FIELDS);
    if (fe.field) {
      setErrors({ [fe.field]: fe.text });
      setTop({ kind: 'error', text: t('admin.errors') });
      focusField(fe.field);
    } else setTop({ kind: 'error', text: fe.text });
  };

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setTop(null);
    const e: Errors = {};
    if (creating && !form.id.trim()) e.id = t('v.required');
    else if (creating && !ROLE_ID.test(form.id.trim())) e.id = t('admin.v.roleId');
    if (!form.name.trim()) e.name = t('v.required');
    const first = FIELDS.find((k) => e[k]);
    if (first) {
      setErrors(e);
      setTop({ kind: 'error', text: t('admin.errors') });
      focusField(first);
      return;
    }
    setBusy(true);
    try {
      if (creating) {
        await api.post<Role>(adminPaths.rolesBase, {
          id: form.id.trim(),
          name: form.name.trim(),
          description: form.description.trim(),
          permissions: form.permissions,
          depths: depthsOf(form),
        });
        setFlash(t('admin.role.created', { name: form.name.trim() }));
      } else {
        const patch: Record<string, unknown> = {};
        if (form.name !== initial.name) patch.name = form.name.trim();
        if (form.description !== initial.description) patch.description = form.description.trim();
        if (!sameSet(form.permissions, initial.permissions)) patch.permissions = form.permissions;
        // the whole list (a merge patch replaces it), also when a permission with a depth goes
        if (patch.permissions || !sameDepths(depthsOf(form), depthsOf(initial))) patch.depths = depthsOf(form);
        if (Object.keys(patch).length === 0) {
          setBusy(false);
          setTop({ kind: 'info', text: t('admin.nothing') });
          return;
        }
        await api.patch<Role>(adminPaths.role(role!.id), patch, { ifMatch: role!.version });
        setFlash(t('admin.role.saved', { name: form.name.trim() }));
      }
      navigate('/admin/roles');
    } catch (x) {
      setBusy(false);
      if (!creating && x instanceof ApiError && x.status === 412) {
        try {
          const r = await api.get<Role>(adminPaths.role(role!.id));
          const who = await lastChange('role', role!.id, can('audit.read'));
          setConflict({ at: who.at || '', who: who.who, latest: r.data });
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
    const out: Form = { ...fresh };
    if (form.name !== initial.name) out.name = form.name;
    if (form.description !== initial.description) out.description = form.description;
    if (!sameSet(form.permissions, initial.permissions)) {
      const added = form.permissions.filter((p) => !initial.permissions.includes(p));
      const removed = initial.permissions.filter((p) => !form.permissions.includes(p));
      out.permissions = [...fresh.permissions.filter((p) => !removed.includes(p)), ...added.filter((p) => !fresh.permissions.includes(p))];
    }
    out.depths = { ...fresh.depths };
    for (const p of form.permissions) if (depthOf(form, p) !== depthOf(initial, p) || !initial.permissions.includes(p)) out.depths[p] = depthOf(form, p);
    setRole(conflict.latest);
    setInitial(fresh);
    setForm(out);
    setConflict(null);
    setTop({ kind: 'info', text: t('admin.reapplied') });
  };

  const permError = errors.permissions || errors.depths;
  let firstPerm = true;
  return (
    <section class="page edit admin">
      <BackLink />
      <h1>{creating ? t('admin.role.new') : t('admin.role.edit', { name: role!.name })}</h1>
      {role?.builtin && (
        <p class="sub">
          <span class="badge info">{t('admin.role.builtin')}</span> {t('admin.role.builtinNote')}
        </p>
      )}
      {conflict && (
        <Alert kind="warn">
          <p class="conflict">{t('admin.conflict', { at: conflict.at ? dateTime(conflict.at) : '', who: conflict.who || t('admin.conflictUnknown') })}</p>
          <button type="button" class="primary" onClick={reapply}>
            {t('admin.reapply')}
          </button>
        </Alert>
      )}
      {top && <Alert kind={top.kind}>{top.text}</Alert>}
      <form onSubmit={submit} noValidate class="form card" id="role-form">
        <div class="grid">
          {creating && <TextField id="r-id" label={t('admin.role.id')} required value={form.id} onValue={set('id')} error={errors.id} hint={t('admin.role.idHint')} maxLength={64} />}
          <TextField id="r-name" label={t('admin.role.name')} required value={form.name} onValue={set('name')} error={errors.name} maxLength={200} />
          <TextField
            id="r-description"
            label={t('admin.role.description')}
            value={form.description}
            onValue={set('description')}
            error={errors.description}
            hint={role && roleDescription(i18n, { id: role.id, description: form.description }) !== form.description ? roleDescription(i18n, { id: role.id, description: form.description }) : undefined}
            maxLength={500}
          />
        </div>
        <fieldset aria-describedby={permError ? 'r-perm-error r-perm-hint' : 'r-perm-hint'} class={permError ? 'invalid' : undefined}>
          <legend>{t('admin.role.permissions')}</legend>
          <p class="hint" id="r-perm-hint">
            {t('admin.role.permHint')} {t('admin.role.depthHint')}
          </p>
          <div class="checks perms">
            {(perms || []).map((p) => {
              const held = can(p.name);
              const checked = form.permissions.includes(p.name);
              const id = `r-perm-${p.name.replace(/\./g, '-')}`;
              const first = firstPerm && held;
              if (first) firstPerm = false;
              return (
                <div key={p.name} class={held ? 'check-option' : 'check-option off'}>
                  <input
                    type="checkbox"
                    id={id}
                    name="permissions"
                    value={p.name}
                    data-first={first ? '' : undefined}
                    checked={checked}
                    disabled={!held}
                    onChange={(e) => toggle(p.name, (e.currentTarget as HTMLInputElement).checked)}
                  />
                  <label for={id}>
                    <span id={`${id}-desc`}>{permLabel(i18n, p)}</span>
                    <span class="mono muted small">{p.name}</span>
                  </label>
                  {checked && (
                    <select
                      id={`r-depth-${p.name.replace(/\./g, '-')}`}
                      class="depth-select"
                      name={`depth-${p.name}`}
                      aria-label={t('admin.role.depthOf', { perm: permLabel(i18n, p) })}
                      value={depthOf(form, p.name)}
                      disabled={!held}
                      onChange={(e) => setDepth(p.name, (e.currentTarget as HTMLSelectElement).value as Depth)}
                    >
                      {DEPTHS.map((d) => (
                        <option key={d} value={d} disabled={!!mine[p.name] && depthRank(d) > depthRank(mine[p.name]) && d !== depthOf(initial, p.name)}>
                          {tv('depth', d)}
                        </option>
                      ))}
                    </select>
                  )}
                </div>
              );
            })}
          </div>
          {permError && (
            <span class="error" id="r-perm-error">
              {permError}
            </span>
          )}
        </fieldset>
        <div class="buttons">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t('admin.saving') : creating ? t('admin.role.create') : t('admin.save')}
          </button>
          <Link href="/admin/roles" class="button secondary">
            {t('admin.cancel')}
          </Link>
        </div>
      </form>
    </section>
  );
}
