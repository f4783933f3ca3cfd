// Org units and their names, fetched once each and cached for the session (cleared when
// the session changes). A unit outside the user's own unit and below cannot be read; the
// name of a customer's unit is then taken from the search, which gives it with each hit.
import { useEffect, useState } from 'preact/hooks';
import { api, paths } from './api';
import type { OrgUnit, SearchHit } from './types';

const units = new Map<string, Promise<OrgUnit | null>>();
const searched = new Map<string, Promise<string | null>>();

export function clearOrgCache() {
  units.clear();
  searched.clear();
}

/** The unit (with its path), or null when the user cannot read it. */
export function orgUnit(id: string): Promise<OrgUnit | null> {
  let p = units.get(id);
  if (!p) {
    p = api
      .get<OrgUnit>(paths.orgUnit(id))
      .then((r) => r.data)
      .catch(() => null);
    units.set(id, p);
  }
  return p;
}

/** The name of a customer's unit as the search gives it (the customer found by number). */
function nameFromSearch(orgId: string, customerNo: string): Promise<string | null> {
  let p = searched.get(orgId);
  if (!p) {
    p = api
      .get<SearchHit[]>(paths.search(customerNo, 5))
      .then((r) => r.data.find((h) => h.customerNo === customerNo && h.orgId === orgId)?.orgName || null)
      .catch(() => null);
    // a miss is asked again with the next customer of the unit
    void p.then((n) => n === null && searched.get(orgId) === p && searched.delete(orgId));
    searched.set(orgId, p);
  }
  return p;
}

/** A unit's name; for a unit the user cannot read, the name the search gives a customer of
 * it (customerNo), else the id. */
export async function orgName(id: string, customerNo?: string): Promise<string> {
  const u = await orgUnit(id);
  if (u) return u.name;
  return (customerNo && (await nameFromSearch(id, customerNo))) || id;
}

export function useOrgName(id: string | undefined, customerNo?: string): string {
  const [name, setName] = useState(id || '');
  useEffect(() => {
    let live = true;
    setName(id || '');
    if (id) void orgName(id, customerNo).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [id, customerNo]);
  return name;
}
