// Shared by the administration pages (pages/admin*.tsx): the shapes and paths of the
// admin resources, the org units as a loaded list, the pager, the back link, what shows
// until a list has loaded, and how a
// server error lands on a form (at its field, or at the top; a 403 "no climbing" in
// plain words).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../api';
import { errorText } from '../errors';
import type { I18n } from '../i18n';
import { useI18n } from '../i18n';
import { Link } from '../components/link';
import { en } from '../i18n/en';
import type { PermDepth } from '../reach';

export interface AdminUser {
  id: string;
  login: string;
  displayName: string;
  orgId: string;
  status: string;
  mobile?: string;
  email?: string;
  roles: string[];
  permissions: string[];
  lastLogin?: string;
  lockedUntil?: string;
  version: number;
  createdDate?: string;
  lastUpdate?: string;
}

export interface Role {
  id: string;
  name: string;
  description?: string;
  permissions: string[];
  /** the permissions whose depth is not the default (unitAndBelow) */
  depths?: PermDepth[] | null;
  builtin?: boolean;
  users?: number;
  version: number;
}

export interface Permission {
  name: string;
  description?: string;
}

export interface Unit {
  id: string;
  name: string;
  kind: string;
  parentId?: string;
  path: string;
  status: string;
  version: number;
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  resource: string;
  resourceId: string;
  orgPath?: string;
  before?: unknown;
  after?: unknown;
  requestId?: string;
}

export const adminPaths = {
  users: (qs: string) => `/api/v1/users${qs ? `?${qs}` : ''}`,
  usersBase: '/api/v1/users',
  user: (id: string) => `/api/v1/users/${encodeURIComponent(id)}`,
  roles: '/api/v1/roles?limit=1000',
  rolesBase: '/api/v1/roles',
  role: (id: string) => `/api/v1/roles/${encodeURIComponent(id)}`,
  permissions: '/api/v1/permissions?limit=1000',
  units: '/api/v1/org-units?limit=1000',
  unitsBase: '/api/v1/org-units',
  unit: (id: string) => `/api/v1/org-units/${encodeURIComponent(id)}`,
  audit: (qs: string) => `/api/v1/audit${qs ? `?${qs}` : ''}`,
  lastChange: (resource: string, id: string) =>
    `/api/v1/audit?resource=${encodeURIComponent(resource)}&resourceId=${encodeURIComponent(id)}&limit=1`,
};

/** GET a list once; `reload()` fetches it again. */
export function useList<T>(path: string) {
  const [items, setItems] = useState<T[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [n, setN] = useState(0);
  useEffect(() => {
    const ctl = new AbortController();
    api
      .get<T[]>(path, { signal: ctl.signal })
      .then((r) => {
        setItems(r.data);
        setError(null);
      })
      .catch((e) => !ctl.signal.aborted && setError(e));
    return () => ctl.abort();
  }, [path, n]);
  return { items, error, reload: () => setN((x) => x + 1) };
}

/** Depth of a unit in the tree from its path ("/HQ/GD/GD-GZ/" → 2). */
export const depthOf = (u: Unit) => Math.max(0, u.path.split('/').filter(Boolean).length - 1);

/** Units as <option>s, indented by depth (the API lists them in tree order). */
export function unitOptions(units: Unit[] | null, first?: { value: string; label: string }) {
  const opts = (units || []).map((u) => ({
    value: u.id,
    label: `${'\u00a0\u00a0'.repeat(depthOf(u))}${u.name} (${u.id})${u.status === 'closed' ? ' ✕' : ''}`,
  }));
  return first ? [first, ...opts] : opts;
}

/** The server's error for a form: { field, message } when it names a field of the form,
 * or the text for the top of the form. */
export function formError(i18n: I18n, e: unknown, fields: string[]): { field?: string; text: string } {
  if (e instanceof ApiError) {
    if (e.status === 403) return { text: i18n.t('admin.forbidden', { message: e.message }) };
    if ((e.status === 400 || e.status === 409) && e.field) {
      const f = e.field.replace(/[.[].*$/, '');
      if (fields.includes(f)) return { field: f, text: e.message };
    }
  }
  return { text: errorText(i18n, e) };
}

/** Who changed a resource last and when (for the 412 message), if the audit is readable. */
export async function lastChange(resource: string, id: string, canAudit: boolean): Promise<{ at: string; who: string }> {
  if (!canAudit) return { at: '', who: '' };
  try {
    const r = await api.get<AuditEntry[]>(adminPaths.lastChange(resource, id));
    if (r.data[0]) return { at: r.data[0].at, who: r.data[0].actor };
  } catch {
    /* unknown then */
  }
  return { at: '', who: '' };
}

/** What stands in for a list until it has loaded: its error, or "loading". */
// The end of a list's filter form: apply, and clear (which calls onClear).
export function FilterButtons({ onClear }: { onClear: () => void }) {
  const { t } = useI18n();
  return (
    <div class="buttons">
      <button type="submit" class="primary">
        {t('admin.filter.apply')}
      </button>
      <button type="button" onClick={onClear}>
        {t('admin.filter.clear')}
      </button>
    </div>
  );
}

// The row a list table shows when it has none.
export function EmptyRow({ cols }: { cols: number }) {
  const { t } = useI18n();
  return (
    <tr>
      <td colSpan={cols} class="muted">
        {t('admin.empty')}
      </td>
    </tr>
  );
}

export function BackLink() {
  const { t } = useI18n();
  return (
    <p class="crumb">
      <Link href="/admin">← {t('admin.back')}</Link>
    </p>
  );
}

export function Pager({ offset, limit, total, onPage }: { offset: number; limit: number; total: number; onPage: (offset: number) => void }) {
  const { t, number } = useI18n();
  const from = total === 0 ? 0 : offset + 1;
  const to = Math.min(total, offset + limit);
  return (
    <nav class="pager" aria-label={t('admin.pages')}>
      <span role="status">{t('admin.count', { from: number(from), to: number(to), total: number(total) })}</span>
      <button type="button" disabled={offset <= 0} onClick={() => onPage(Math.max(0, offset - limit))}>
        ‹ {t('admin.prev')}
      </button>
      <button type="button" disabled={to >= total} onClick={() => onPage(offset + limit)}>
        {t('admin.next')} ›
      </button>
    </nav>
  );
}

/** A role's name as shown: the translated built-in name, else the role's own name. */
export function roleLabel(i18n: I18n, id: string, roles?: Role[] | null) {
  const tr = i18n.tv('role', id);
  return tr !== id ? tr : roles?.find((r) => r.id === id)?.name || id;
}

/** A permission's description in the UI language, else the server's. */
export function permLabel(i18n: I18n, p: Permission) {
  const tr = i18n.tv('perm', p.name);
  return tr !== p.name ? tr : p.description || p.name;
}

/** A role's description in the UI language while it is the built-in one the server
 * shipped (role.desc.* in English is that text); one an administrator wrote, as written. */
export function roleDescription(i18n: I18n, r: Pick<Role, 'id' | 'description'>) {
  const key = `role.desc.${r.id}`;
  const shipped = (en as Record<string, string>)[key];
  return shipped !== undefined && shipped === r.description ? i18n.tv('role.desc', r.id) : r.description || '';
}

/** Builds a query string from the non-empty values. */
export function queryOf(values: Record<string, string | number | undefined>) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '' && v !== 0) q.set(k, String(v));
  return q.toString();
}

export const isLocked = (u: { lockedUntil?: string }) => !!u.lockedUntil && new Date(u.lockedUntil).getTime() > Date.now();
