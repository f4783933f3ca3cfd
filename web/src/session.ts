// The logged-in user, shared by every page: loaded at start (GET /api/v1/session), set by
// the login, cleared by logout or by a 401, with the user's own org unit (its name, and its
// path for how far the user reaches: reach.ts). Pages read it with useSession().
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError, paths, setCsrfToken } from './api';
import { clearOrgCache, orgUnit } from './orgNames';
import type { OrgUnit, Session } from './types';

export interface SessionState {
  /** undefined while loading at start, null when nobody is logged in */
  session: Session | null | undefined;
  orgName: string;
}

let state: SessionState = { session: undefined, orgName: '' };
let unit: Promise<OrgUnit | null> = Promise.resolve(null);
const listeners = new Set<() => void>();

function set(next: Partial<SessionState>) {
  state = { ...state, ...next };
  listeners.forEach((f) => f());
}

export function getSession() {
  return state.session;
}

export function useSession(): SessionState {
  const [, force] = useState(0);
  const seen = state;
  useEffect(() => {
    const f = () => force((n) => n + 1);
    listeners.add(f);
    // a change between this render and the subscription (the session may load first)
    if (state !== seen) f();
    return () => {
      listeners.delete(f);
    };
  }, []);
  return state;
}

export function can(perm: string): boolean {
  return !!state.session?.permissions.includes(perm);
}

export function canAny(perms: string[]): boolean {
  return perms.some(can);
}

/** The logged-in user's own org unit (null when none is, or it cannot be read). */
export function ownUnit(): Promise<OrgUnit | null> {
  return unit;
}

export function setSession(s: Session | null) {
  setCsrfToken(s?.csrfToken || '');
  clearOrgCache();
  set({ session: s, orgName: '' });
  unit = s ? orgUnit(s.user.orgId) : Promise.resolve(null);
  // the name shown in the header: the id until it is in
  void unit.then((u) => u && state.session === s && set({ orgName: u.name }));
}

/** At start: who is logged in, if anyone. */
export async function loadSession() {
  try {
    const r = await api.get<Session>(paths.session, { anonymous: true });
    setSession(r.data);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) setSession(null);
    else setSession(null);
  }
}

export async function login(loginName: string, password: string) {
  const r = await api.post<Session>(paths.session, { login: loginName, password }, { anonymous: true });
  setSession(r.data);
  return r.data;
}

export async function logout() {
  try {
    await api.del(paths.session, { anonymous: true });
  } catch {
    /* gone already */
  }
  setSession(null);
}
