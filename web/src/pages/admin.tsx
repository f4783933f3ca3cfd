// /admin: the administration index — a link to each administration page the user may
// use (users: admin.users, roles: admin.roles, org tree: admin.org, audit: audit.read).
import { useI18n, type MsgKey } from '../i18n';
import { can, useSession } from '../session';
import { Link } from '../components/link';
import { useTitle } from '../components/title';

const PAGES: { path: string; perm: string; title: MsgKey; desc: MsgKey }[] = [
  { path: '/admin/users', perm: 'admin.users', title: 'admin.users', desc: 'admin.users.desc' },
  { path: '/admin/roles', perm: 'admin.roles', title: 'admin.roles', desc: 'admin.roles.desc' },
  { path: '/admin/org', perm: 'admin.org', title: 'admin.org', desc: 'admin.org.desc' },
  { path: '/admin/audit', perm: 'audit.read', title: 'admin.audit', desc: 'admin.audit.desc' },
];

export function Admin() {
  const { t } = useI18n();
  useSession();
  useTitle(t('admin.title'));
  const pages = PAGES.filter((p) => can(p.perm));
  return (
    <section class="page admin">
      <h1>{t('admin.title')}</h1>
      <p class="lead">{t('admin.intro')}</p>
      {pages.length === 0 ? (
        <p>{t('admin.none')}</p>
      ) : (
        <ul class="admin-index">
          {pages.map((p) => (
            <li key={p.path} class="card">
              <h2>
                <Link href={p.path}>{t(p.title)}</Link>
              </h2>
              <p class="muted">{t(p.desc)}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
