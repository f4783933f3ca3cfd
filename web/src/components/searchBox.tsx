// The search box in the header: results as you type in a listbox (the ARIA combobox
// pattern). / or Ctrl+K focuses it; ↑/↓ move, Enter opens the customer (or the full
// results page when nothing is selected), Escape closes.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, isAbort, paths } from '../api';
import { useI18n } from '../i18n';
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

/** What matched, as the server sent it (masked for roles without pii.read). */
export function MatchedValue({ hit }: { hit: SearchHit }) {
  const { tv } = useI18n();
  const value = hit.phoneNumber || hit.idNumber;
  if (!value && hit.matchedBy === 'name') return null;
  return (
    <span class="matched">
      <span class="muted">{tv('search.by', hit.matchedBy)}</span> {value || ''}
    </span>
  );
}

export function SearchBox() {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [busy, setBusy] = useState(false);
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
    if (!query || new TextEncoder().encode(query).length > 100) {
      setHits(null);
      setBusy(false);
      return;
    }
    const ctl = new AbortController();
    inflight.current = ctl;
    setBusy(true);
    api
      .get<SearchHit[]>(paths.search(query, LIMIT), { signal: ctl.signal })
      .then((r) => {
        if (ctl.signal.aborted) return;
        setHits(r.data);
        setActive(-1);
        setOpen(true);
        setBusy(false);
      })
      .catch((e) => {
        if (isAbort(e)) return;
        setHits([]);
        setBusy(false);
      });
  };

  const onInput = (e: Event) => {
    const v = (e.currentTarget as HTMLInputElement).value;
    setQ(v);
    setOpen(true);
    window.clearTimeout(timer.current);
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

  const showAll = () => {
    const query = q.trim();
    if (!query) return;
    close();
    navigate(`/search?q=${encodeURIComponent(query)}`);
  };

  const count = hits ? hits.length : 0;
  // the options: the hits, then "show all results"
  const optionCount = hits && q.trim() ? count + 1 : 0;

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
        if (open && hits && active >= 0 && active < count) openHit(hits[active]);
        else showAll();
        break;
      case 'Escape':
        if (open) {
          e.preventDefault();
          close();
        } else if (q) {
          setQ('');
          setHits(null);
        }
        break;
      case 'Tab':
        close();
        break;
    }
  };

  const expanded = open && hits !== null && !!q.trim();
  const optId = (i: number) => `search-opt-${i}`;

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
        aria-activedescendant={expanded && active >= 0 ? optId(active) : undefined}
        aria-describedby="search-hint"
        placeholder={t('search.placeholder')}
        value={q}
        onInput={onInput}
        onKeyDown={onKeyDown}
        onBlur={close}
        onFocus={() => hits && setOpen(true)}
      />
      <span id="search-hint" class="sr-only">
        {t('search.hint')}
      </span>
      <span class="sr-only" role="status" aria-live="polite">
        {expanded ? (count ? t('search.count', { n: count }) : t('search.none', { q: q.trim() })) : busy ? t('search.loading') : ''}
      </span>
      <ul id="search-listbox" role="listbox" aria-label={t('search.results')} class="listbox" hidden={!expanded}>
        {expanded && count === 0 && (
          <li class="empty" role="presentation">
            {t('search.none', { q: q.trim() })}
          </li>
        )}
        {expanded &&
          hits!.map((hit, i) => (
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
              <span class="name">{hit.name}</span>
              <span class="no">{hit.customerNo}</span>
              <StatusBadge status={hit.status} />
              {hit.blacklisted && <span class="badge danger">{t('flags.blacklisted')}</span>}
              <MatchedValue hit={hit} />
            </li>
          ))}
        {expanded && (
          <li
            id={optId(count)}
            role="option"
            aria-selected={active === count}
            class={active === count ? 'option all active' : 'option all'}
            onMouseDown={(e) => e.preventDefault()}
            onClick={showAll}
          >
            {t('search.showAll', { q: q.trim() })}
          </li>
        )}
      </ul>
    </div>
  );
}
