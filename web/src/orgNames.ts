// Names of org units, fetched once each and cached for the session.
import { useEffect, useState } from 'preact/hooks';
import { api, paths } from './api';
import type { OrgUnit } from './types';

const cache = new Map<string, Promise<string>>();

export function orgName(id: string): Promise<string> {
  let p = cache.get(id);
  if (!p) {
    p = api
      .get<OrgUnit>(paths.orgUnit(id))
      .then((r) => r.data.name)
      .catch(() => id);
    cache.set(id, p);
  }
  return p;
}

export function useOrgName(id: string | undefined): string {
  const [name, setName] = useState(id || '');
  useEffect(() => {
    let live = true;
    setName(id || '');
    if (id) void orgName(id).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [id]);
  return name;
}
