// /customers/:id — the customer 360° view: every section of GET
// /api/v1/customers/{id}/360 rendered by name (sections/index.ts); the omitted ones say
// they are not available with the user's permissions. 404 (unknown, or another area's
// customer) shows the not-found page. A customer the user may read but not change (its unit
// lies beyond the reach of their customer.write: reach.ts) says where it belongs and that
// changes are made there, without the actions that change it.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../routes';
import { api, ApiError, paths } from '../api';
import { useI18n } from '../i18n';
import { can } from '../session';
import { useWriteReach } from '../reach';
import { errorText } from '../errors';
import type { Customer, View360 } from '../types';
import { genericSection, humanise, sections } from '../sections';
import { Link } from '../components/link';
import { Alert } from '../components/form';
import { StatusBadge, RankBadge } from '../components/badges';
import { useTitle } from '../components/title';
import { ReadOnlyNote } from '../components/readOnly';
import { NotFound, NotLoaded } from './notFound';
import { takeFlash } from '../flash';

// A deep link's 360 view, requested at start in parallel with the session (main.tsx) and
// taken once by the page; a failure (not logged in …) just means the page asks again.
let prefetched: { id: string; view: Promise<View360 | null> } | null = null;

export function prefetch360(path: string) {
  const m = /^\/customers\/([^/]+)\/?$/.exec(path);
  if (!m || m[1] === 'new') return;
  const id = decodeURIComponent(m[1]);
  prefetched = {
    id,
    view: api
      .get<View360>(paths.view360(id), { anonymous: true })
      .then((r) => r.data)
      .catch(() => null),
  };
}

function takePrefetched(id: string): Promise<View360 | null> | null {
  const p = prefetched && prefetched.id === id ? prefetched.view : null;
  prefetched = null;
  return p;
}

export function Customer360({ params }: PageProps) {
  const i18n = useI18n();
  const { t } = i18n;
  const [view, setView] = useState<View360 | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [flash] = useState(takeFlash);
  useTitle(view ? view.name : t('c360.title'));
  const viewProfile = view?.sections.find((s) => s.name === 'profile')?.data as Customer | undefined;
  const reach = useWriteReach(viewProfile?.orgId, viewProfile?.customerNo, 'customer.write', viewProfile?.ownerId);

  const load = useCallback(async () => {
    try {
      const early = await takePrefetched(params.id);
      setView(early || (await api.get<View360>(paths.view360(params.id))).data);
      setError(null);
    } catch (e) {
      setError(e);
    }
  }, [params.id]);

  useEffect(() => {
    setView(null);
    setError(null);
    void load();
  }, [load]);

  if (error instanceof ApiError && error.status === 404) return <NotFound />;
  if (!view) return <NotLoaded error={error} />;

  const profile = viewProfile;
  const writable = can('customer.write') && reach.known && reach.writable;
  const readOnly = can('customer.write') && reach.known && !reach.writable;
  return (
    <article class="page c360" aria-labelledby="c360-title" data-customer={view.id}>
      <header class="page-head">
        <div>
          <h1 id="c360-title" tabIndex={-1}>
            {view.name}
          </h1>
          <p class="sub">
            <span class="mono">{view.customerNo}</span>
            {profile && <StatusBadge status={profile.status} />}
            {profile && <RankBadge rank={profile.customerRank} />}
            {profile?.blacklisted && <span class="badge danger">{t('flags.blacklisted')}</span>}
          </p>
        </div>
        <div class="actions">
          {writable && (
            <Link class="button" href={`/customers/${encodeURIComponent(view.id)}/edit`}>
              {t('c360.edit')}
            </Link>
          )}
        </div>
      </header>
      {readOnly && <ReadOnlyNote unitName={reach.unitName} notOwner={reach.notOwner} />}
      {flash && <Alert kind="ok">{flash}</Alert>}
      {error ? <Alert kind="error">{errorText(i18n, error)}</Alert> : null}
      <div class="sections">
        {view.sections.map((s) => {
          const def = sections[s.name];
          const Render = def ? def.render : genericSection;
          const title = def ? t(def.title) : humanise(s.name);
          return (
            <section key={s.name} class={def?.wide ? 'card section wide' : 'card section'} data-section={s.name} aria-labelledby={`sec-${s.name}`}>
              <h2 id={`sec-${s.name}`}>{title}</h2>
              <Render data={s.data} view={view} reload={load} writable={writable} />
            </section>
          );
        })}
        {view.omitted.map((name) => {
          const def = sections[name];
          return (
            <section key={name} class="card section omitted" data-section={name} data-omitted="true" aria-labelledby={`sec-${name}`}>
              <h2 id={`sec-${name}`}>{def ? t(def.title) : humanise(name)}</h2>
              <p class="muted">{t('c360.omitted')}</p>
            </section>
          );
        })}
      </div>
    </article>
  );
}
