// /search?q=: every hit of a search, as a table, with what tells namesakes apart (type,
// unit, phone); "searching" while the answer is on its way, and a failed search said as
// such, with a button to search again.
import { useEffect, useState } from 'preact/hooks';
import type { PageProps } from '../routes';
import { api, paths } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../errors';
import type { SearchHit } from '../types';
import { Link } from '../components/link';
import { StatusBadge, RankBadge } from '../components/badges';
import { customerPath, hitType, MatchedValue } from '../components/searchBox';
import { Alert } from '../components/form';
import { useTitle } from '../components/title';

export function SearchPage({ query }: PageProps) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  const q = (query.get('q') || '').trim();
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState('');
  const [attempt, setAttempt] = useState(0);
  useTitle(q ? `${t('search.title')}: ${q}` : t('search.title'));

  useEffect(() => {
    setHits(null);
    setError('');
    if (!q) return;
    const ctl = new AbortController();
    api
      .get<SearchHit[]>(paths.search(q, 100), { signal: ctl.signal })
      .then((r) => setHits(r.data))
      .catch((e) => {
        if (!ctl.signal.aborted) setError(errorText(i18n, e));
      });
    return () => ctl.abort();
  }, [q, attempt]);

  return (
    <section class="page">
      <h1>{q ? `${t('search.results')}: ${q}` : t('search.title')}</h1>
      {!q && <p>{t('search.empty')}</p>}
      {error && (
        <Alert kind="error">
          <p>{t('search.failed', { reason: error })}</p>
          <button type="button" class="primary" id="search-retry" onClick={() => setAttempt((n) => n + 1)}>
            {t('search.retry')}
          </button>
        </Alert>
      )}
      {q && !hits && !error && <p role="status">{t('search.loading')}</p>}
      {hits && (
        <>
          <p role="status">{hits.length ? t('search.count', { n: hits.length }) : t('search.none', { q })}</p>
          {hits.length > 0 && (
            <div class="table-wrap">
              <table class="list">
                <thead>
                  <tr>
                    <th scope="col">{t('col.name')}</th>
                    <th scope="col">{t('col.customerNo')}</th>
                    <th scope="col">{t('col.type')}</th>
                    <th scope="col">{t('col.org')}</th>
                    <th scope="col">{t('col.phone')}</th>
                    <th scope="col">{t('col.status')}</th>
                    <th scope="col">{t('col.rank')}</th>
                    <th scope="col">{t('col.segment')}</th>
                    <th scope="col">{t('col.matched')}</th>
                  </tr>
                </thead>
                <tbody>
                  {hits.map((h) => (
                    <tr key={h.id}>
                      <td>
                        <Link href={customerPath(h)}>{h.name}</Link>
                        {h.blacklisted && <span class="badge danger">{t('flags.blacklisted')}</span>}
                      </td>
                      <td class="mono">{h.customerNo}</td>
                      <td class="nowrap">{tv('party.type', hitType(h))}</td>
                      <td>{h.orgName || h.orgId}</td>
                      <td class="mono pii nowrap">{h.phone}</td>
                      <td>
                        <StatusBadge status={h.status} />
                      </td>
                      <td>
                        <RankBadge rank={h.customerRank} />
                      </td>
                      <td>{tv('segment', h.segment)}</td>
                      <td>
                        <MatchedValue hit={h} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </section>
  );
}
