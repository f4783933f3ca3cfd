// The search box in the header: results as you type in a listbox (the ARIA combobox
// pattern). / or Ctrl+K focuses it; ↑/↓ move, Enter opens the customer (or the full
// results page when nothing is selected), Escape closes.
//
// The results shown always answer the text in the box: while a new answer is on its way
// the earlier results stay visible but locked (dimmed, not selectable, Enter opens the
// results page of the new text instead), under "Searching…". A failed search says so and
// offers to search again; it never reads as "no customer found".
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, isAbort, paths } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../errors';
import { navigate } from '../router';
import type { SearchHit } from '../types';
import { StatusBadge } from './badges';

let inputEl: HTMLInputElement | null = null;

export function focusSearch() {
  if (inputEl) {
    inputEl.focus();
    inputEl.select();
  }
}

const DEBOUNCE_MS = 150;
// role=combobox on a text input without a <datalist>: valid ARIA 1.2, which Preact's
// typings do not model
const COMBOBOX = { role: 'combobox' } as Record<string, string>;
const LIMIT = 8;

export function customerPath(hit: { id: string }) {
  return `/customers/${encodeURIComponent(hit.id)}`;
}

/** A query the server can answer: not blank, at most 100 bytes. */
const searchable = (query: string) => !!query && new TextEncoder().encode(query).length <= 100;

/** What matched, as the server sent it (masked for roles without pii.read). */
export function MatchedValue({ hit }: { hit: SearchHit }) {
  const { t, tv } = useI18n();
  if (hit.matchedName)
    return (
      <span class="matched">
        <span class="muted">{t('search.registeredName')}</span> {hit.matchedName}
      </span>
    );
  const value = hit.phoneNumber || hit.idNumber;
  if (!value && hit.matchedBy === 'name') return null;
  return (
    <span class="matched">
      <span class="muted">{tv('search.by', hit.matchedBy)}</span> {value || ''}
    </span>
  );
}

/** The party's kind as the hit says it: individual or organisation. */
export function hitType(hit: SearchHit) {
  return hit.engagedParty?.['@referredType'] || 'Individual';
}

/** What tells namesakes apart: individual or organisation, the unit, a phone number. */
export function HitFacts({ hit }: { hit: SearchHit }) {
  const { tv } = useI18n();
  const type = hitType(hit);
  return (
    <span class="facts">
      <span class={`badge kind kind-${type.toLowerCase()}`}>{tv('party.type', type)}</span>
      {hit.orgName && <span class="org">{hit.orgName}</span>}
      {hit.phone && !hit.phoneNumber && <span class="phone pii">{hit.phone}</span>}
    </span>
  );
}

type Answer = { q: string; hits: SearchHit[] };
type Failure = { q: string; error: unknown };

export function SearchBox() {
  const i18n = useI18n();
  const { t } = i18n;
  const [q, setQ] = useState('');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const ref = useRef<HTMLInputElement>(null);
  const timer = useRef<number | undefined>(undefined);
  const inflight = useRef<AbortController | null>(null);

  useEffect(() => {
    inputEl = ref.current;
    return () => {
      if (inputEl === ref.current) inputEl = null;
      inflight.current?.abort();
      window.clearTimeout(timer.current);
    };
  }, []);

  const run = (text: string) => {
    inflight.current?.abort();
    const query = text.trim();
    if (!searchable(query)) return;
    const ctl = new AbortController();
    inflight.current = ctl;
    setFailure(null);
    api
      .get<SearchHit[]>(paths.search(query, LIMIT), { signal: ctl.signal })
      .then((r) => {
        if (ctl.signal.aborted) return;
        setAnswer({ q: query, hits: r.data });
        setActive(-1);
        setOpen(true);
      })
      .catch((e) => {
        if (isAbort(e) || ctl.signal.aborted) return;
        setFailure({ q: query, error: e });
        setActive(-1);
      });
  };

  const onInput = (e: Event) => {
    const v = (e.currentTarget as HTMLInputElement).value;
    setQ(v);
    setOpen(true);
    // whatever was selected belongs to the earlier text
    setActive(-1);
    window.clearTimeout(timer.current);
    if (!searchable(v.trim())) inflight.current?.abort();
    timer.current = window.setTimeout(() => run(v), DEBOUNCE_MS);
  };

  const close = () => {
    setOpen(false);
    setActive(-1);
  };

  const openHit = (hit: SearchHit) => {
    close();
    ref.current?.blur();
    navigate(customerPath(hit));
  };

  const query = q.trim();
  const fresh = !!answer && answer.q === query;
  const failed = !fresh && !!failure && failure.q === query;
  const pending = searchable(query) && !fresh && !failed;
  const hits = fresh ? answer!.hits : [];
  // earlier results, shown locked until the new answer is in
  const stale = pending && answer ? answer.hits : [];

  const showAll = () => {
    if (!query) return;
    close();
    navigate(`/search?q=${encodeURIComponent(query)}`);
  };
  const retry = () => {
    setActive(-1);
    run(q);
  };

  // the options that can be chosen: the fresh hits and "show all", or "search again"
  const count = hits.length;
  const optionCount = fresh ? count + 1 : failed ? 1 : 0;

  const onKeyDown = (e: KeyboardEvent) => {
    switch (e.key) {
      case 'ArrowDown':
        e.preventDefault();
        setOpen(true);
        if (optionCount) setActive((a) => (a + 1) % optionCount);
        break;
      case 'ArrowUp':
        e.preventDefault();
        setOpen(true);
        if (optionCount) setActive((a) => (a <= 0 ? optionCount - 1 : a - 1));
        break;
      case 'Enter':
        e.preventDefault();
        if (open && fresh && active >= 0 && active < count) openHit(hits[active]);
        else if (open && failed && active === 0) retry();
        else showAll();
        break;
      case 'Escape':
        if (open) {
          e.preventDefault();
          close();
        } else if (q) {
          setQ('');
          setAnswer(null);
          setFailure(null);
        }
        break;
      case 'Tab':
        close();
        break;
    }
  };

  const expanded = open && !!query && (fresh || failed || pending);
  const optId = (i: number) => `search-opt-${i}`;
  const live = !expanded
    ? ''
    : fresh
      ? count
        ? t('search.count', { n: count })
        : t('search.none', { q: query })
      : failed
        ? t('search.failed', { reason: errorText(i18n, failure!.error) })
        : t('search.loading');

  return (
    <div class="search" role="search">
      <label for="search-input" class="sr-only">
        {t('search.label')}
      </label>
      <input
        id="search-input"
        ref={ref}
        type="search"
        {...COMBOBOX}
        autoComplete="off"
        spellcheck={false}
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls="search-listbox"
        aria-activedescendant={expanded && active >= 0 && active < optionCount ? optId(active) : undefined}
        aria-describedby="search-hint"
        aria-busy={pending}
        placeholder={t('search.placeholder')}
        value={q}
        onInput={onInput}
        onKeyDown={onKeyDown}
        onBlur={close}
        onFocus={() => (answer || failure) && setOpen(true)}
      />
      <span id="search-hint" class="sr-only">
        {t('search.hint')}
      </span>
      <span class="sr-only" role="status" aria-live="polite">
        {live}
      </span>
      <ul
        id="search-listbox"
        role="listbox"
        aria-label={t('search.results')}
        aria-busy={pending}
        class={pending ? 'listbox busy' : 'listbox'}
        hidden={!expanded}
      >
        {expanded && pending && (
          <li class="searching" role="presentation" aria-hidden="true">
            {t('search.loading')}
          </li>
        )}
        {expanded && failed && (
          <>
            <li class="failed" role="presentation">
              {t('search.failed', { reason: errorText(i18n, failure!.error) })}
            </li>
            <li
              id={optId(0)}
              role="option"
              aria-selected={active === 0}
              class={active === 0 ? 'option retry active' : 'option retry'}
              onMouseDown={(e) => e.preventDefault()}
              onClick={retry}
            >
              {t('search.retry')}
            </li>
          </>
        )}
        {expanded &&
          stale.map((hit) => (
            <li key={hit.id} role="option" aria-disabled="true" aria-selected={false} class="option stale" onMouseDown={(e) => e.preventDefault()}>
              <HitLine hit={hit} />
            </li>
          ))}
        {expanded && fresh && count === 0 && (
          <li class="empty" role="presentation">
            {t('search.none', { q: query })}
          </li>
        )}
        {expanded &&
          hits.map((hit, i) => (
            <li
              key={hit.id}
              id={optId(i)}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'option active' : 'option'}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => openHit(hit)}
              onMouseMove={() => active !== i && setActive(i)}
            >
              <HitLine hit={hit} />
            </li>
          ))}
        {expanded && fresh && (
          <li
            id={optId(count)}
            role="option"
            aria-selected={active === count}
            class={active === count ? 'option all active' : 'option all'}
            onMouseDown={(e) => e.preventDefault()}
            onClick={showAll}
          >
            {t('search.showAll', { q: query })}
          </li>
        )}
      </ul>
    </div>
  );
}

function HitLine({ hit }: { hit: SearchHit }) {
  const { t } = useI18n();
  return (
    <>
      <span class="name">{hit.name}</span>
      <span class="no">{hit.customerNo}</span>
      <StatusBadge status={hit.status} />
      {hit.blacklisted && <span class="badge danger">{t('flags.blacklisted')}</span>}
      <HitFacts hit={hit} />
      <MatchedValue hit={hit} />
    </>
  );
}
