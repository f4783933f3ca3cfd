// /admin: administration (users, roles, org tree, audit). A placeholder: each admin page
// gets its own file in pages/ and its route in routes.ts.
import { useI18n } from '../i18n';
import { useTitle } from '../components/title';

export function Admin() {
  const { t } = useI18n();
  useTitle(t('admin.title'));
  return (
    <section class="page">
      <h1>{t('admin.title')}</h1>
      <p>{t('admin.soon')}</p>
    </section>
  );
}
