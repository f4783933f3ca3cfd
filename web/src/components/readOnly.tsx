// The note of a customer the user may read but not change (its unit lies beyond the reach
// of their customer.write): where it belongs, and that changes are made there; or, for a
// user who changes only the records they own, that it is not theirs.
import { useI18n } from '../i18n';

export function ReadOnlyNote({ unitName, notOwner }: { unitName: string; notOwner?: boolean }) {
  const { t } = useI18n();
  return (
    <p class="readonly-note" id="readonly-note">
      {notOwner ? t('c360.notYours') : t('c360.readOnly', { unit: unitName })}
    </p>
  );
}
