// How far the logged-in user's permissions reach from their org unit (the data scope of
// docs/identity.md): each role gives each permission a depth — the records they own, the
// unit, the unit and below (the default), the province, or everything — and a user holding a permission
// through several roles reaches the farthest. The UI uses it to show a record the user may
// read but not change as read-only (a clerk serves a customer of another hall of the
// province; that hall changes it); the server decides all the same, and its 403 is shown.
import { useEffect, useState } from 'preact/hooks';
import { api } from './api';
import { can, getSession, ownUnit } from './session';
import { orgName, orgUnit } from './orgNames';
import type { Session } from './types';

export const DEPTHS = ['own', 'unit', 'unitAndBelow', 'province', 'all'] as const;
export type Depth = (typeof DEPTHS)[number];
export const DEFAULT_DEPTH: Depth = 'unitAndBelow';

export interface PermDepth {
  permission: string;
  depth: Depth;
}

/** What a role says of depths: the permissions it grants, the depths that are not the default. */
export interface RoleDepths {
  id: string;
  permissions: string[];
  depths?: PermDepth[] | null;
}

export const depthRank = (d: Depth) => DEPTHS.indexOf(d);

/** A role's depth for a permission it grants; null when it does not grant it. */
export function roleDepth(r: RoleDepths, perm: string): Depth | null {
  if (!r.permissions.includes(perm)) return null;
  const d = r.depths?.find((x) => x.permission === perm)?.depth;
  return d && DEPTHS.includes(d) ? d : DEFAULT_DEPTH;
}

/** The farthest depth the roles give a permission; null when none grants it. */
export function farthestDepth(roles: RoleDepths[], perm: string): Depth | null {
  let best: Depth | null = null;
  for (const r of roles) {
    const d = roleDepth(r, perm);
    if (d && (!best || depthRank(d) > depthRank(best))) best = d;
  }
  return best;
}

/** "/HQ/GD/GD-GZ/" → "/HQ/GD/": the province part of a unit's path (the root's own path at HQ). */
export function provinceOf(path: string): string {
  const parts = path.split('/').filter(Boolean).slice(0, 2);
  return `/${parts.join('/')}/`;
}

const isRootPath = (path: string) => path.split('/').filter(Boolean).length === 1;

// the user's roles, read once per session
let rolesOf: { session: Session; roles: Promise<RoleDepths[] | null> } | null = null;

function userRoles(s: Session): Promise<RoleDepths[] | null> {
  if (rolesOf?.session !== s) {
    const roles = api
      .get<RoleDepths[]>('/api/v1/roles?limit=1000&fields=permissions,depths')
      .then((r) => r.data.filter((x) => s.user.roles.includes(x.id)))
      .catch(() => null);
    rolesOf = { session: s, roles };
  }
  return rolesOf.roles;
}

/** How far the user reaches with a permission, as the server counts it: the farthest depth
 * their roles give it (the default when the roles cannot be read), the unit and below
 * being everything at HQ. */
export async function userReach(perm: string): Promise<Depth> {
  const s = getSession();
  if (!s) return DEFAULT_DEPTH;
  const [roles, own] = await Promise.all([userRoles(s), ownUnit()]);
  const d = (roles && farthestDepth(roles, perm)) || DEFAULT_DEPTH;
  return own?.path && isRootPath(own.path) && depthRank(d) >= depthRank(DEFAULT_DEPTH) ? 'all' : d;
}

/** Whether the user's permission (customer.write by default) reaches records of unit
 * orgId owned by ownerId. Where the answer cannot be known here (a province reach, and a
 * unit the user cannot read, whose province is not shown), true: the server decides. */
export async function reaches(orgId: string, perm = 'customer.write', ownerId?: string | null): Promise<boolean> {
  const s = getSession();
  if (!s || !can(perm)) return false;
  const d = await userReach(perm);
  if (d === 'own') return !!ownerId && ownerId === s.user.id;
  if (orgId === s.user.orgId) return true;
  if (d === 'all') return true;
  if (d === 'unit') return false;
  const [own, unit] = await Promise.all([ownUnit(), orgUnit(orgId)]);
  if (!own?.path) return true;
  // the units a user can read are their unit and those below it
  if (!unit?.path) return d === 'province';
  return unit.path.startsWith(own.path) || (d === 'province' && provinceOf(unit.path) === provinceOf(own.path));
}

export interface WriteReach {
  /** false until the answer is in */
  known: boolean;
  writable: boolean;
  /** the record's unit by name, when it is read-only */
  unitName: string;
  /** read-only because the user changes only the records they own */
  notOwner?: boolean;
}

/** Whether a record of unit orgId (owned by ownerId) can be changed here (customer.write);
 * for one that cannot, its unit's name (customerNo: the customer, for a unit the user cannot
 * read), or that it is not theirs. */
export function useWriteReach(
  orgId: string | undefined,
  customerNo?: string,
  perm = 'customer.write',
  ownerId?: string | null,
): WriteReach {
  // the answer with the unit it is for: one for another unit is not known yet
  const [state, setState] = useState<WriteReach & { for?: string }>({ known: false, writable: false, unitName: '' });
  useEffect(() => {
    let live = true;
    if (!orgId) return;
    void (async () => {
      const [writable, depth] = await Promise.all([reaches(orgId, perm, ownerId), userReach(perm)]);
      const notOwner = !writable && can(perm) && depth === 'own';
      const unitName = writable || notOwner || !can(perm) ? '' : await orgName(orgId, customerNo);
      if (live) setState({ for: orgId, known: true, writable, unitName, notOwner });
    })();
    return () => {
      live = false;
    };
  }, [orgId, customerNo, perm, ownerId]);
  if (!orgId) return { known: true, writable: can(perm), unitName: '' };
  return state.for === orgId ? state : { known: false, writable: false, unitName: '' };
}
