// Any unknown path, and a customer that does not exist or lies outside the user's area:
// the same page, so that nothing tells the two apart.
import { useI18n } from '../i18n';
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
