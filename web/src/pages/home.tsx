// /: the start page — where to search, and the keyboard shortcuts.
import { useI18n } from '../i18n';
import { can, useSession } from '../session';
import { Link } from '../components/link';
import { useTitle } from '../components/title';

export function Home() {
  const { t } = useI18n();
  const { session } = useSession();
  useTitle(t('nav.home'));
  return (
    <section class="page home">
      <h1>{t('home.title', { name: session?.user.displayName || '' })}</h1>
      <p class="lead">{t('home.intro')}</p>
      {can('customer.write') && (
        <p>
          <Link href="/customers/new" class="button">
            {t('nav.newCustomer')}
          </Link>
        </p>
      )}
      <h2>{t('home.shortcuts')}</h2>
      <dl class="keys">
        <dt>
          <kbd>/</kbd> · <kbd>Ctrl</kbd>+<kbd>K</kbd>
        </dt>
        <dd>{t('home.key.search')}</dd>
        <dt>
          <kbd>↑</kbd> <kbd>↓</kbd>
        </dt>
        <dd>{t('home.key.move')}</dd>
        <dt>
          <kbd>Enter</kbd>
        </dt>
        <dd>{t('home.key.open')}</dd>
        <dt>
          <kbd>Esc</kbd>
        </dt>
        <dd>{t('home.key.close')}</dd>
      </dl>
    </section>
  );
}
