// Server errors as the user reads them: the known ones by their code in the app's words,
// the rest as the server wrote them (in the language the app asked for).
import { ApiError } from './api';
import type { I18n } from './i18n';

export function errorText(i18n: I18n, e: unknown): string {
  const { t } = i18n;
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : String(e);
  if (e.status === 0) return t('err.network');
  if (e.status === 403) return `${t('err.forbidden')} (${e.message})`;
  if (e.status === 429) return t('err.rate');
  if (e.status === 404) return t('err.notFound');
  if (e.status >= 500) return t('err.server', { status: e.status });
  return e.message;
}

/** The login's own messages: wrong password, locked until …, rate limit. */
export function loginErrorText(i18n: I18n, e: unknown): string {
  const { t } = i18n;
  if (e instanceof ApiError) {
    const m = e.message;
    if (e.code === 'auth.locked') {
      // the time the lock ends, as the server wrote it (ISO-8601) in either language
      const until = /\d{4}-\d\d-\d\dT[0-9:.]+Z/.exec(m);
      return t('login.locked', { until: until ? i18n.dateTime(until[0]) : '' });
    }
    if (e.code === 'auth.wrongLogin') return t('login.wrong');
    if (e.code === 'auth.disabled' || e.code === 'auth.tokenUserDisabled') return t('login.disabled');
    if (e.status === 429) {
      const s = /in (\d+) seconds/.exec(m);
      return t('login.rate', { seconds: e.retryAfter ?? (s ? Number(s[1]) : 60) });
    }
  }
  return errorText(i18n, e);
}
