// /admin/audit — the audit trail (GET /api/v1/audit, newest first): filters actor,
// action, resource, resource id and a time range (at.gte / at.lt, entered in local time),
// paging with X-Total-Count; a row opens to show its before and after JSON (masked by the
// server for readers without pii.read). Filters and page live in the URL.
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../routes';
import { api } from '../api';
import { useI18n } from '../i18n';
import { can } from '../session';
import { navigate } from '../router';
import { TextField } from '../components/form';
import { useTitle } from '../components/title';
import { adminPaths, BackLink, EmptyRow, FilterButtons, Pager, queryOf, type AuditEntry } from './adminShared';
import { NotLoaded } from './notFound';

const LIMIT = 25;
const ACTIONS = ['create', 'update', 'update.password', 'password', 'delete', 'revoke', 'login', 'login.fail', 'logout', 'deny', 'token.use'];
const RESOURCES = ['user', 'role', 'orgUnit', 'customer', 'individual', 'organization', 'apiToken', 'session', 'route', 'hub'];

/** "2026-11-25T15:40" (local, from <input type=datetime-local>) ⇄ ISO UTC for the API. */
const toIso = (local: string) => {
  if (!local) return '';
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
};
const toLocal = (iso: string | null) => {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

/** The top-level members that differ between before and after (bookkeeping left out). */
function changedKeys(before: unknown, after: unknown): string[] {
  if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return [];
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const skip = new Set(['version', 'lastUpdate', 'href', '@type']);
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !skip.has(k) && JSON.stringify(b[k]) !== JSON.stringify(a[k]));
}

function Json({ value }: { value: unknown }) {
  const { t } = useI18n();
  if (value === undefined || value === null) return <p class="muted">{t('admin.audit.nothing')}</p>;
  return <pre class="json">{JSON.stringify(value, null, 2)}</pre>;
}

export function AdminAudit({ query }: PageProps) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  useTitle(t('admin.audit'));
  const qs = query.toString();
  const cur = {
    actor: query.get('actor') || '',
    action: query.get('action') || '',
    resource: query.get('resource') || '',
    resourceId: query.get('resourceId') || '',
    from: toLocal(query.get('at.gte')),
    to: toLocal(query.get('at.lt')),
  };
  const offset = Math.max(0, Number(query.get('offset')) || 0);
  const [f, setF] = useState(cur);
  const [rows, setRows] = useState<AuditEntry[] | null>(null);
  const [total, setTotal] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [open, setOpen] = useState<Set<number>>(new Set());

  const apiQuery = (v: typeof cur, off: number) =>
    queryOf({ actor: v.actor, action: v.action, resource: v.resource, resourceId: v.resourceId, 'at.gte': toIso(v.from), 'at.lt': toIso(v.to), offset: off });

  useEffect(() => {
    setF(cur);
    setOpen(new Set());
    const ctl = new AbortController();
    const q = apiQuery(cur, offset);
    api
      .get<AuditEntry[]>(adminPaths.audit(q ? `${q}&limit=${LIMIT}` : `limit=${LIMIT}`), { signal: ctl.signal })
      .then((r) => {
        setRows(r.data);
        setTotal(Number(r.headers.get('X-Total-Count')) || r.data.length);
        setError(null);
      })
      .catch((e) => !ctl.signal.aborted && setError(e));
    return () => ctl.abort();
  }, [qs]);

  const go = (v: typeof cur, off = 0) => {
    const s = apiQuery({ ...v, actor: v.actor.trim(), action: v.action.trim(), resource: v.resource.trim(), resourceId: v.resourceId.trim() }, off);
    navigate(`/admin/audit${s ? `?${s}` : ''}`);
  };
  const set = (k: keyof typeof cur) => (v: string) => setF((x) => ({ ...x, [k]: v }));
  const toggle = (seq: number) =>
    setOpen((s) => {
      const n = new Set(s);
      if (n.has(seq)) n.delete(seq);
      else n.add(seq);
      return n;
    });

  return (
    <section class="page admin">
      <BackLink />
      <h1>{t('admin.audit')}</h1>
      {!can('pii.read') && <p class="muted">{t('admin.audit.masked')}</p>}
      <form
        class="filters card"
        role="search"
        aria-label={t('admin.filter')}
        onSubmit={(e) => {
          e.preventDefault();
          go(f);
        }}
      >
        <TextField id="af-actor" label={t('admin.audit.actor')} value={f.actor} onValue={set('actor')} />
        <div class="field">
          <label for="af-action">{t('admin.audit.action')}</label>
          <input id="af-action" list="af-actions" value={f.action} autoComplete="off" onInput={(e) => set('action')((e.currentTarget as HTMLInputElement).value)} />
          <datalist id="af-actions">
            {ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <div class="field">
          <label for="af-resource">{t('admin.audit.resource')}</label>
          <input id="af-resource" list="af-resources" value={f.resource} autoComplete="off" onInput={(e) => set('resource')((e.currentTarget as HTMLInputElement).value)} />
          <datalist id="af-resources">
            {RESOURCES.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <TextField id="af-resourceId" label={t('admin.audit.resourceId')} value={f.resourceId} onValue={set('resourceId')} />
        <TextField id="af-from" type="datetime-local" label={t('admin.audit.from')} value={f.from} onValue={set('from')} />
        <TextField id="af-to" type="datetime-local" label={t('admin.audit.to')} value={f.to} onValue={set('to')} />
        <FilterButtons onClear={() => go({ actor: '', action: '', resource: '', resourceId: '', from: '', to: '' })} />
      </form>
      {error || !rows ? (
        <NotLoaded error={error} />
      ) : (
        <>
          <div class="table-wrap">
            <table class="list audit-table" id="audit-table">
              <caption class="sr-only">{t('admin.audit')}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <span class="sr-only">{t('admin.audit.details')}</span>
                  </th>
                  <th scope="col">{t('admin.audit.at')}</th>
                  <th scope="col">{t('admin.audit.actor')}</th>
                  <th scope="col">{t('admin.audit.action')}</th>
                  <th scope="col">{t('admin.audit.resource')}</th>
                  <th scope="col">{t('admin.audit.resourceId')}</th>
                </tr>
              </thead>
              <tbody>
                {rows.length === 0 && <EmptyRow cols={6} />}
                {rows.map((r) => {
                  const isOpen = open.has(r.seq);
                  return [
                    <tr key={r.seq} data-seq={r.seq} class={isOpen ? 'open' : undefined}>
                      <td>
                        <button
                          type="button"
                          class="expand"
                          aria-expanded={isOpen}
                          aria-controls={isOpen ? `audit-d-${r.seq}` : undefined}
                          aria-label={t('admin.audit.show', { seq: r.seq })}
                          onClick={() => toggle(r.seq)}
                        >
                          {isOpen ? '▾' : '▸'}
                        </button>
                      </td>
                      <td class="nowrap">{dateTime(r.at)}</td>
                      <td class="mono actor">{r.actor}</td>
                      <td class="mono">{r.action}</td>
                      <td class="mono">{r.resource}</td>
                      <td class="mono small id-cell">{r.resourceId}</td>
                    </tr>,
                    isOpen && (
                      <tr key={`${r.seq}-d`} id={`audit-d-${r.seq}`} class="details">
                        <td colSpan={6}>
                          {changedKeys(r.before, r.after).length > 0 && (
                            <p class="changed">
                              {t('admin.audit.changed')}: <span class="mono">{changedKeys(r.before, r.after).join(', ')}</span>
                            </p>
                          )}
                          <div class="diff">
                            <div>
                              <h3>{t('admin.audit.before')}</h3>
                              <Json value={r.before} />
                            </div>
                            <div>
                              <h3>{t('admin.audit.after')}</h3>
                              <Json value={r.after} />
                            </div>
                          </div>
                          <p class="muted small">
                            {t('admin.audit.request')}: <span class="mono">{r.requestId || '—'}</span> · {t('admin.audit.orgPath')}:{' '}
                            <span class="mono">{r.orgPath || '—'}</span>
                          </p>
                        </td>
                      </tr>
                    ),
                  ];
                })}
              </tbody>
            </table>
          </div>
          <Pager offset={offset} limit={LIMIT} total={total} onPage={(o) => go(cur, o)} />
        </>
      )}
    </section>
  );
}
