import type { SectionProps } from './index';
import type { Churn } from '../types';
import { useI18n } from '../i18n';

export function ChurnSection({ data }: SectionProps<Churn | null>) {
  const { t, date } = useI18n();
  if (!data) return <p class="muted">{t('churn.none')}</p>;
  return (
    <dl class="kv">
      <div>
        <dt>{t('churn.date')}</dt>
        <dd>{date(data.churnDate)}</dd>
      </div>
      {data.reason && (
        <div>
          <dt>{t('churn.reason')}</dt>
          <dd>{data.reason}</dd>
        </div>
      )}
      {data.portedToOperator && (
        <div>
          <dt>{t('churn.portedTo')}</dt>
          <dd>{data.portedToOperator}</dd>
        </div>
      )}
    </dl>
  );
}
