// The HTTP client: same-origin fetch with the session cookie, JSON in and out, the CSRF
// token on writes, the UI's language as Accept-Language (so that the server's messages come
// in it), the TMF error body parsed into ApiError. A 401 on an authenticated
// request ends the session in the UI (onUnauthorized, set by the app), which sends the
// user to the login page and back afterwards.

import { initialLang } from './i18n';

export interface ErrorBody {
  code?: string;
  reason?: string;
  message?: string;
  field?: string;
  status?: string;
  /** a conflict's existing record that the caller may read (its href) */
  conflictsWith?: string;
}

export class ApiError extends Error {
  readonly status: number;
  /** the cause's stable name, the same in every language ("auth.sessionExpired") */
  readonly code?: string;
  readonly field?: string;
  readonly body: ErrorBody;
  readonly retryAfter?: number;
  constructor(status: number, body: ErrorBody, retryAfter?: number) {
    super(body.message || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.body = body;
    this.retryAfter = retryAfter;
  }
}

/** status 0: the request did not reach the server (or was aborted) */
export const isAbort = (e: unknown) => e instanceof DOMException && e.name === 'AbortError';

let csrfToken = '';
let language: string = initialLang();
let unauthorizedHandler: ((err: ApiError) => void) | null = null;

export function setCsrfToken(token: string) {
  csrfToken = token;
}
/** The UI's language ("zh-CN" or "en"), sent as Accept-Language with every request. */
export function setLanguage(lang: string) {
  language = lang;
}
export function onUnauthorized(f: (err: ApiError) => void) {
  unauthorizedHandler = f;
}

export interface Options {
  body?: unknown;
  ifMatch?: number | string;
  signal?: AbortSignal;
  /** do not treat a 401 as the end of the session (the login itself) */
  anonymous?: boolean;
}

export interface Response<T> {
  data: T;
  status: number;
  etag: string | null;
  headers: Headers;
}

export async function request<T>(method: string, path: string, opts: Options = {}): Promise<Response<T>> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
  if (opts.body !== undefined) headers['Content-Type'] = method === 'PATCH' ? 'application/merge-patch+json' : 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  if (opts.ifMatch !== undefined) headers['If-Match'] = `"${opts.ifMatch}"`;
  let res: globalThis.Response;
  try {
    res = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (e) {
    if (isAbort(e)) throw e;
    throw new ApiError(0, { message: 'network' });
  }
  const text = res.status === 204 ? '' : await res.text();
  let data: unknown = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (!res.ok) {
    const body: ErrorBody = data && typeof data === 'object' ? (data as ErrorBody) : { message: text || res.statusText };
    const ra = res.headers.get('Retry-After');
    const err = new ApiError(res.status, body, ra ? Number(ra) : undefined);
    if (res.status === 401 && !opts.anonymous && unauthorizedHandler) unauthorizedHandler(err);
    throw err;
  }
  return { data: data as T, status: res.status, etag: res.headers.get('ETag'), headers: res.headers };
}

export const api = {
  get: <T>(path: string, opts?: Options) => request<T>('GET', path, opts),
  post: <T>(path: string, body: unknown, opts?: Options) => request<T>('POST', path, { ...opts, body }),
  patch: <T>(path: string, body: unknown, opts?: Options) => request<T>('PATCH', path, { ...opts, body }),
  del: <T>(path: string, opts?: Options) => request<T>('DELETE', path, opts),
};

export const paths = {
  session: '/api/v1/session',
  search: (q: string, limit = 10) => `/api/v1/search?q=${encodeURIComponent(q)}&limit=${limit}`,
  view360: (id: string) => `/api/v1/customers/${encodeURIComponent(id)}/360`,
  customer: (id: string) => `/tmf-api/customerManagement/v4/customer/${encodeURIComponent(id)}`,
  customers: '/tmf-api/customerManagement/v4/customer',
  individual: '/tmf-api/party/v4/individual',
  organization: '/tmf-api/party/v4/organization',
  /** one individual or organization, by its @type (or @referredType) */
  party: (type: string | undefined, id: string) =>
    `/tmf-api/party/v4/${type === 'Organization' ? 'organization' : 'individual'}/${encodeURIComponent(id)}`,
  orgUnit: (id: string) => `/api/v1/org-units/${encodeURIComponent(id)}`,
  orgUnits: '/api/v1/org-units?limit=1000&fields=name,kind,parentId,status',
  audit: (id: string, resource = 'customer') => `/api/v1/audit?resource=${resource}&resourceId=${encodeURIComponent(id)}&limit=1`,
};
