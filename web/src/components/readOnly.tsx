// The note of a customer the user may read but not change (its unit lies beyond the reach
// of their customer.write): where it belongs, and that changes are made there.
import { useI18n } from '../i18n';

export function ReadOnlyNote({ unitName }: { unitName: string }) {
  const { t } = useI18n();
  return (
    <p class="readonly-note" id="readonly-note">
      {t('c360.readOnly', { unit: unitName })}
    </p>
  );
}
