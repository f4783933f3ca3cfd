// The application shell: language, session, the route table and the layout around pages.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { I18nContext, initialLang, makeI18n, saveLang, type Lang } from './i18n';
import { onUnauthorized, setLanguage } from './api';
import { canAny, setSession, useSession } from './session';
import { currentLocation, navigate, useLocation } from './router';
import { matchRoute } from './routes';
import { Layout } from './components/layout';
import { NotFound, Refused } from './pages/notFound';

onUnauthorized((err) => {
  const loc = currentLocation();
  if (loc.path === '/login') return;
  setSession(null);
  // by the cause's code, which does not change with the language of the message
  const reason = err.code === 'auth.sessionExpired' || err.code === 'auth.tokenExpired' ? 'expired' : 'ended';
  navigate(`/login?reason=${reason}&next=${encodeURIComponent(loc.full)}`, { replace: true });
});

export function App() {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const i18n = useMemo(() => {
    // before any page of this language asks the server anything
    setLanguage(lang);
    return makeI18n(lang, (l) => {
      saveLang(l);
      setLangState(l);
    });
  }, [lang]);
  const { session } = useSession();
  const loc = useLocation();

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  // after moving to another page, keyboard focus starts at the top of its content
  const firstPath = useRef(loc.path);
  useEffect(() => {
    if (loc.path !== firstPath.current && loc.path !== '/login') document.getElementById('main')?.focus({ preventScroll: true });
    firstPath.current = '';
  }, [loc.path]);

  const m = matchRoute(loc.path);
  const needsLogin = session === null && (!m || m.route.auth);
  useEffect(() => {
    if (needsLogin) {
      const next = loc.full === '/' ? '' : `?next=${encodeURIComponent(loc.full)}`;
      navigate(`/login${next}`, { replace: true });
    }
  }, [needsLogin, loc.full]);

  let content;
  if (session === undefined || needsLogin) {
    content = (
      <p class="loading" role="status">
        {i18n.t('app.loading')}
      </p>
    );
  } else if (!m) {
    content = <NotFound />;
  } else if (m.route.perms && !canAny(m.route.perms)) {
    content = <Refused perms={m.route.perms} />;
  } else {
    const Page = m.route.page;
    content = <Page key={loc.path} params={m.params} query={loc.query} />;
  }

  return (
    <I18nContext.Provider value={i18n}>
      {m && !m.route.auth ? <main id="main" class="bare">{content}</main> : <Layout>{content}</Layout>}
    </I18nContext.Provider>
  );
}
