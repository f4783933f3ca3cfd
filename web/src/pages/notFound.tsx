// Any unknown path, and a customer that does not exist or lies outside the user's area:
// the same page, so that nothing tells the two apart.
import { ApiError } from '../api';
import { errorText } from '../errors';
import { useI18n } from '../i18n';
import { Alert } from '../components/form';
import { Link } from '../components/link';
import { useTitle } from '../components/title';

export function NotFound() {
  const { t } = useI18n();
  useTitle(t('err.notFound'));
  return (
    <section class="page notfound">
      <h1>{t('err.notFound')}</h1>
      <p>{t('err.notFoundText')}</p>
      <p>
        <Link href="/">{t('err.back')}</Link>
      </p>
    </section>
  );
}

// A page the user's permissions do not open (the route's, or the server's 403): says so,
// and which permission it needs — unlike a customer outside the user's area, a page's
// existence is no secret.
export function Refused({ perms, error }: { perms?: string[]; error?: unknown }) {
  const i18n = useI18n();
  const { t, tv } = i18n;
  useTitle(t('err.refused'));
  return (
    <section class="page refused">
      <h1>{t('err.refused')}</h1>
      <p>{perms?.length ? t('err.refusedText', { perms: perms.map((p) => tv('perm', p)).join(' / ') }) : errorText(i18n, error)}</p>
      <p>
        <Link href="/">{t('err.back')}</Link>
      </p>
    </section>
  );
}

// What a page shows until its data is in: this page for a 404, the refusal for a 403, the
// error for any other failure, else that it is loading.
export function NotLoaded({ error }: { error: unknown }) {
  const i18n = useI18n();
  if (error instanceof ApiError && error.status === 404) return <NotFound />;
  if (error instanceof ApiError && error.status === 403) return <Refused error={error} />;
  return error ? (
    <Alert kind="error">{errorText(i18n, error)}</Alert>
  ) : (
    <p class="loading" role="status">
      {i18n.t('app.loading')}
    </p>
  );
}
