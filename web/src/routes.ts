// The route table: every page of the app, in one place. A route's page is one file in
// pages/. `perms`: the user needs at least one of them (otherwise the nav entry is hidden
// and the page says it is not allowed). `nav`: shown in the header's navigation with that
// label.
// Order matters: the first match wins, so put fixed paths before parameterised ones.
import type { FunctionComponent } from 'preact';
import type { MsgKey } from './i18n';
import { Home } from './pages/home';
import { Login } from './pages/login';
import { SearchPage } from './pages/search';
import { Customer360 } from './pages/customer360';
import { CustomerEdit } from './pages/customerEdit';
import { CustomerNew } from './pages/customerNew';
import { Admin } from './pages/admin';
import { AdminUsers } from './pages/adminUsers';
import { AdminUserEdit } from './pages/adminUserEdit';
import { AdminRoles } from './pages/adminRoles';
import { AdminRoleEdit } from './pages/adminRoleEdit';
import { AdminOrg } from './pages/adminOrg';
import { AdminAudit } from './pages/adminAudit';
import { CatalogPage } from './pages/catalog';
import { compile } from './router';

export interface PageProps {
  params: Record<string, string>;
  query: URLSearchParams;
}

export interface Route {
  path: string;
  page: FunctionComponent<PageProps>;
  /** false: reachable without logging in */
  auth: boolean;
  perms?: string[];
  nav?: MsgKey;
}

export const routes: Route[] = [
  { path: '/login', page: Login, auth: false },
  { path: '/', page: Home, auth: true, nav: 'nav.home' },
  { path: '/search', page: SearchPage, auth: true, perms: ['customer.read'] },
  { path: '/customers/new', page: CustomerNew, auth: true, perms: ['customer.write'], nav: 'nav.newCustomer' },
  { path: '/customers/:id/edit', page: CustomerEdit, auth: true, perms: ['customer.write'] },
  { path: '/customers/:id', page: Customer360, auth: true, perms: ['customer.read'] },
  { path: '/catalog', page: CatalogPage, auth: true, nav: 'nav.catalog' },
  // Administration: users, roles, org tree, audit. Sub-pages go below as /admin/...
  { path: '/admin', page: Admin, auth: true, perms: ['admin.users', 'admin.roles', 'admin.org', 'audit.read'], nav: 'nav.admin' },
  { path: '/admin/users', page: AdminUsers, auth: true, perms: ['admin.users'] },
  { path: '/admin/users/new', page: AdminUserEdit, auth: true, perms: ['admin.users'] },
  { path: '/admin/users/:id', page: AdminUserEdit, auth: true, perms: ['admin.users'] },
  { path: '/admin/roles', page: AdminRoles, auth: true, perms: ['admin.roles'] },
  { path: '/admin/roles/new', page: AdminRoleEdit, auth: true, perms: ['admin.roles'] },
  { path: '/admin/roles/:id', page: AdminRoleEdit, auth: true, perms: ['admin.roles'] },
  { path: '/admin/org', page: AdminOrg, auth: true, perms: ['admin.org'] },
  { path: '/admin/audit', page: AdminAudit, auth: true, perms: ['audit.read'] },
];

const matchers = routes.map((r) => ({ route: r, match: compile(r.path) }));

export function matchRoute(path: string): { route: Route; params: Record<string, string> } | null {
  for (const { route, match } of matchers) {
    const params = match(path);
    if (params) return { route, params };
  }
  return null;
}
