// /admin/users — the staff accounts (GET /api/v1/users): filters login, display name,
// status and org unit (exact matches, as the API filters), paging with X-Total-Count.
// The filters and the page live in the URL, so a filtered list can be linked and the
// back button returns to it.
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../routes';
import { api } from '../api';
import { useI18n } from '../i18n';
import { navigate } from '../router';
import { takeFlash } from '../flash';
import { Alert, SelectField, TextField } from '../components/form';
import { Link } from '../components/link';
import { useTitle } from '../components/title';
import { adminPaths, BackLink, EmptyRow, FilterButtons, isLocked, Pager, queryOf, roleLabel, unitOptions, useList, type AdminUser, type Role, type Unit } from './adminShared';
import { NotLoaded } from './notFound';

const LIMIT = 20;

export function AdminUsers({ query }: PageProps) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  useTitle(t('admin.users'));
  const [flash] = useState(takeFlash);
  const qs = query.toString();
  const cur = {
    login: query.get('login') || '',
    displayName: query.get('displayName') || '',
    status: query.get('status') || '',
    orgId: query.get('orgId') || '',
  };
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const [f, setF] = useState(cur);
  const [rows, setRows] = useState<AdminUser[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const units = useList<Unit>(adminPaths.units).items;
  const roles = useList<Role>(adminPaths.roles).items;
  const unitName = (id: string) => units?.find((u) => u.id === id)?.name || id;

  useEffect(() => {
    setF(cur);
    const ctl = new AbortController();
    const listQs = queryOf({ ...cur, offset, limit: LIMIT });
    api
      .get<AdminUser[]>(adminPaths.users(listQs), { signal: ctl.signal })
      .then((r) => {
        setRows(r.data);
        setTotal(Number(r.headers.get('X-Total-Count')) || r.data.length);
        setError(null);
      })
      .catch((e) => !ctl.signal.aborted && setError(e));
    return () => ctl.abort();
  }, [qs]);

  const go = (values: typeof cur, off = 0) => {
    const s = queryOf({ ...values, offset: off });
    navigate(`/admin/users${s ? `?${s}` : ''}`);
  };
  const set = (k: keyof typeof cur) => (v: string) => setF((x) => ({ ...x, [k]: v }));

  return (
    <section class="page admin">
      <BackLink />
      <div class="page-head">
        <h1>{t('admin.users')}</h1>
        <Link href="/admin/users/new" class="button">
          {t('admin.user.new')}
        </Link>
      </div>
      {flash && <Alert kind="ok">{flash}</Alert>}
      <form
        class="filters card"
        role="search"
        aria-label={t('admin.filter')}
        onSubmit={(e) => {
          e.preventDefault();
          go({ login: f.login.trim(), displayName: f.displayName.trim(), status: f.status, orgId: f.orgId });
        }}
      >
        <TextField id="uf-login" label={t('admin.user.login')} value={f.login} onValue={set('login')} />
        <TextField id="uf-displayName" label={t('admin.user.displayName')} value={f.displayName} onValue={set('displayName')} />
        <SelectField
          id="uf-status"
          label={t('admin.user.status')}
          value={f.status}
          onValue={set('status')}
          options={[
            { value: '', label: t('admin.any') },
            { value: 'active', label: t('admin.user.status.active') },
            { value: 'disabled', label: t('admin.user.status.disabled') },
          ]}
        />
        <SelectField id="uf-orgId" label={t('admin.user.org')} value={f.orgId} onValue={set('orgId')} options={unitOptions(units, { value: '', label: t('admin.any') })} />
        <FilterButtons onClear={() => go({ login: '', displayName: '', status: '', orgId: '' })} />
      </form>
      {error || !rows ? (
        <NotLoaded error={error} />
      ) : (
        <>
          <div class="table-wrap">
            <table class="list" id="users-table">
              <caption class="sr-only">{t('admin.users')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.user.login')}</th>
                  <th scope="col">{t('admin.user.displayName')}</th>
                  <th scope="col">{t('admin.user.org')}</th>
                  <th scope="col">{t('admin.user.roles')}</th>
                  <th scope="col">{t('admin.user.status')}</th>
                  <th scope="col">{t('admin.user.lastLogin')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 && <EmptyRow cols={6} />}
                {rows.map((u) => (
                  <tr key={u.id} data-login={u.login}>
                    <td>
                      <Link href={`/admin/users/${encodeURIComponent(u.id)}`} class="mono">
                        {u.login}
                      </Link>
                    </td>
                    <td>{u.displayName}</td>
                    <td>{unitName(u.orgId)}</td>
                    <td>{u.roles.length ? u.roles.map((r) => roleLabel(i18n, r, roles)).join(', ') : <span class="muted">{t('admin.user.noRoles')}</span>}</td>
                    <td class="nowrap">
                      <span class={`badge ${u.status === 'active' ? 'ok' : 'off'}`}>{t(u.status === 'active' ? 'admin.user.status.active' : 'admin.user.status.disabled')}</span>
                      {isLocked(u) && <span class="badge warn">{t('admin.user.locked')}</span>}
                    </td>
                    <td class="nowrap">{u.lastLogin ? dateTime(u.lastLogin) : <span class="muted">{t('admin.user.never')}</span>}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager offset={offset} limit={LIMIT} total={total} onPage={(o) => go(cur, o)} />
        </>
      )}
    </section>
  );
}
