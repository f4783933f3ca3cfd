// /login: login and password; Enter submits; messages for a wrong password, a locked
// account (until when), the rate limit and an ended session; back to the page the user
// was on afterwards (?next=).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PageProps } from '../routes';
import { useI18n, LANGS, type Lang } from '../i18n';
import { login, useSession } from '../session';
import { navigate } from '../router';
import { loginErrorText } from '../errors';
import { Alert } from '../components/form';
import { useTitle } from '../components/title';

function safeNext(next: string | null) {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/';
}

export function Login({ query }: PageProps) {
  const i18n = useI18n();
  const { t, lang, setLang } = i18n;
  const { session } = useSession();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const nameRef = useRef<HTMLInputElement>(null);
  const reason = query.get('reason');
  const next = safeNext(query.get('next'));
  useTitle(t('login.title'));

  useEffect(() => {
    nameRef.current?.focus();
  }, []);
  useEffect(() => {
    if (session) navigate(next, { replace: true });
  }, [session]);

  const submit = async (e: Event) => {
    e.preventDefault();
    if (!name.trim() || !password) {
      setError(t('login.required'));
      (name.trim() ? document.getElementById('login-password') : nameRef.current)?.focus();
      return;
    }
    setBusy(true);
    setError('');
    try {
      await login(name.trim(), password);
      // the session effect navigates on
    } catch (err) {
      setError(loginErrorText(i18n, err));
      setPassword('');
      setBusy(false);
      document.getElementById('login-password')?.focus();
    }
  };

  return (
    <div class="login">
      <form class="card login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div class="login-head">
          <h1 id="login-title">{t('login.title')}</h1>
          <label class="lang">
            <span class="sr-only">{t('lang.label')}</span>
            <select value={lang} aria-label={t('lang.label')} onChange={(e) => setLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
              {LANGS.map((l) => (
                <option key={l} value={l}>
                  {t(l === 'en' ? 'lang.en' : 'lang.zh-CN')}
                </option>
              ))}
            </select>
          </label>
        </div>
        {reason && !error && <Alert kind="info">{t(reason === 'expired' ? 'login.expired' : 'login.ended')}</Alert>}
        {error && <Alert kind="error">{error}</Alert>}
        <div class="field">
          <label for="login-name">{t('login.login')}</label>
          <input
            id="login-name"
            name="username"
            ref={nameRef}
            autoComplete="username"
            autoCapitalize="off"
            spellcheck={false}
            value={name}
            onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <div class="field">
          <label for="login-password">{t('login.password')}</label>
          <input
            id="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)}
          />
        </div>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </div>
  );
}
