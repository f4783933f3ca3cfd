// The frame of every authenticated page: header (product, search, navigation, user,
// language, logout) and the main area.
import type { ComponentChildren } from 'preact';
import { useEffect } from 'preact/hooks';
import { LANGS, useI18n, type Lang } from '../i18n';
import { canAny, logout, useSession } from '../session';
import { navigate, useLocation } from '../router';
import { routes } from '../routes';
import { Link } from './link';
import { SearchBox, focusSearch } from './searchBox';

function isTyping(el: Element | null) {
  if (!el) return false;
  const tag = el.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || (el as HTMLElement).isContentEditable;
}

export function Layout({ children }: { children: ComponentChildren }) {
  const { t, tv, lang, setLang } = useI18n();
  const { session, orgName } = useSession();
  const loc = useLocation();

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && e.key.toLowerCase() === 'k') {
        e.preventDefault();
        focusSearch();
      } else if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTyping(document.activeElement)) {
        e.preventDefault();
        focusSearch();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const user = session?.user;
  const nav = routes.filter((r) => r.nav && (!r.perms || canAny(r.perms)));
  const canSearch = canAny(['customer.read']);

  return (
    <>
      <a class="skip" href="#main">
        {t('app.skip')}
      </a>
      <header class="top">
        <Link href="/" class="brand">
          {t('app.name')}
        </Link>
        {canSearch && <SearchBox />}
        <nav aria-label={t('nav.main')} class="nav">
          {nav.map((r) => (
            <Link key={r.path} href={r.path} aria-current={loc.path === r.path ? 'page' : undefined}>
              {t(r.nav!)}
            </Link>
          ))}
        </nav>
        <div class="who">
          {user && (
            <span class="user" title={t('nav.user', { name: user.login })}>
              <strong>{user.displayName}</strong>
              <span class="muted">
                {user.roles.map((r) => tv('role', r)).join(', ')} · {orgName || user.orgId}
              </span>
            </span>
          )}
          <label class="lang">
            <span class="sr-only">{t('lang.label')}</span>
            <select
              value={lang}
              onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}
              aria-label={t('lang.label')}
            >
              {LANGS.map((l) => (
                <option key={l} value={l}>
                  {t(l === 'en' ? 'lang.en' : 'lang.zh-CN')}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            class="link-button"
            onClick={async () => {
              await logout();
              navigate('/login', { replace: true });
            }}
          >
            {t('nav.logout')}
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
