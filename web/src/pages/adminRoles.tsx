// /admin/roles — every role with its permissions (GET /api/v1/roles, the catalogue from
// GET /api/v1/permissions), built-in roles marked; names, descriptions and permissions in
// the UI language (the permission's name beside it, and how far it reaches: its depth); a
// role nobody holds can be deleted (DELETE with If-Match, after an inline confirmation).
import { useState } from 'preact/hooks';
import { api } from '../api';
import { useI18n } from '../i18n';
import { takeFlash } from '../flash';
import { Alert } from '../components/form';
import { Link } from '../components/link';
import { useTitle } from '../components/title';
import { adminPaths, BackLink, formError, permLabel, roleDescription, roleLabel, useList, type Permission, type Role } from './adminShared';
import { NotLoaded } from './notFound';
import { DEFAULT_DEPTH, roleDepth } from '../reach';

export function AdminRoles() {
  const i18n = useI18n();
  const { t, tv, number } = i18n;
  useTitle(t('admin.roles'));
  const [flash, setFlash] = useState<{ kind: 'ok' | 'error'; text: string } | null>(() => {
    const f = takeFlash();
    return f ? { kind: 'ok', text: f } : null;
  });
  const roles = useList<Role>(adminPaths.roles);
  const perms = useList<Permission>(adminPaths.permissions).items;
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const desc = (name: string) => {
    const p = perms?.find((x) => x.name === name) || { name };
    return permLabel(i18n, p);
  };

  const del = async (r: Role) => {
    setBusy(true);
    try {
      await api.del(adminPaths.role(r.id), { ifMatch: r.version });
      setFlash({ kind: 'ok', text: t('admin.role.deleted', { name: r.name }) });
      roles.reload();
    } catch (e) {
      setFlash({ kind: 'error', text: formError(i18n, e, []).text });
    }
    setConfirm(null);
    setBusy(false);
  };

  return (
    <section class="page admin">
      <BackLink />
      <div class="page-head">
        <h1>{t('admin.roles')}</h1>
        <Link href="/admin/roles/new" class="button">
          {t('admin.role.new')}
        </Link>
      </div>
      <p class="muted">
        {t('admin.role.builtinNote')} {t('admin.role.hqOnly')}
      </p>
      {flash && <Alert kind={flash.kind}>{flash.text}</Alert>}
      {roles.error || !roles.items ? (
        <NotLoaded error={roles.error} />
      ) : (
        <div class="table-wrap">
          <table class="list roles-table">
            <caption class="sr-only">{t('admin.roles')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.role.name')}</th>
                <th scope="col">{t('admin.role.permissions')}</th>
                <th scope="col" class="nowrap">{t('admin.role.users')}</th>
                <th scope="col">
                  <span class="sr-only">{t('admin.edit')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {roles.items.map((r) => (
                <tr key={r.id} data-role={r.id}>
                  <td>
                    <strong>{roleLabel(i18n, r.id, roles.items)}</strong>
                    {r.builtin && <span class="badge info">{t('admin.role.builtin')}</span>}
                    <div class="mono muted small">{r.id}</div>
                    {r.description && <div class="muted small role-desc">{roleDescription(i18n, r)}</div>}
                  </td>
                  <td>
                    <ul class="perm-list">
                      {r.permissions.map((p) => {
                        const d = roleDepth(r, p) || DEFAULT_DEPTH;
                        return (
                          <li key={p} data-perm={p} data-depth={d}>
                            {desc(p)} <span class="mono muted small">{p}</span>{' '}
                            <span class={d === DEFAULT_DEPTH ? 'depth muted small' : 'depth small'}>
                              <span aria-hidden="true">· </span>
                              <span class="sr-only">{t('admin.role.depthPrefix')}</span>
                              {tv('depth', d)}
                            </span>
                          </li>
                        );
                      })}
                    </ul>
                  </td>
                  <td>{number(r.users || 0)}</td>
                  <td>
                    <div class="actions">
                    <Link href={`/admin/roles/${encodeURIComponent(r.id)}`} class="button">
                      {t('admin.edit')}
                      <span class="sr-only"> {r.name}</span>
                    </Link>
                    {!r.builtin && !r.users && confirm !== r.id && (
                      <button type="button" onClick={() => setConfirm(r.id)}>
                        {t('admin.role.delete')}
                        <span class="sr-only"> {r.name}</span>
                      </button>
                    )}
                    {!r.builtin && !!r.users && <div class="muted small">{t('admin.role.inUse', { n: number(r.users) })}</div>}
                    {confirm === r.id && (
                      <div class="confirm" role="group" aria-label={t('admin.role.deleteConfirm', { name: r.name })}>
                        <p>{t('admin.role.deleteConfirm', { name: r.name })}</p>
                        <button type="button" class="danger" disabled={busy} onClick={() => del(r)}>
                          {t('admin.role.deleteYes')}
                        </button>
                        <button type="button" onClick={() => setConfirm(null)} autoFocus>
                          {t('admin.cancel')}
                        </button>
                      </div>
                    )}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
