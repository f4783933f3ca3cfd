// The churn record, read together with the status so that the two never disagree: an
// inactive (terminated) customer has churned, with or without a record; one that is not
// inactive has not, even if a churn date has been recorded ahead of time.
import type { SectionProps } from './index';
import type { Churn, Customer } from '../types';
import { useI18n } from '../i18n';

export function ChurnSection({ data, view }: SectionProps<Churn | null>) {
  const { t, tv, date } = useI18n();
  const profile = view.sections.find((s) => s.name === 'profile')?.data as Customer | undefined;
  const flags = view.sections.find((s) => s.name === 'flags')?.data as { status?: string; statusReason?: string } | undefined;
  const status = profile?.status || flags?.status || '';
  const reason = data?.reason || (status === 'inactive' ? profile?.statusReason || flags?.statusReason : undefined);
  if (status && status !== 'inactive' && !data)
    return (
      <p class="muted" data-churn="none">
        {t('churn.active', { status: tv('status', status) })}
      </p>
    );
  if (!data && status !== 'inactive') return <p class="muted">{t('churn.none')}</p>;
  return (
    <>
      {!data && (
        <p class="churned" data-churn="norecord">
          {t('churn.inactiveNoRecord')}
        </p>
      )}
      {data && status && status !== 'inactive' && (
        <p class="muted" data-churn="pending">
          {t('churn.notYet', { status: tv('status', status) })}
        </p>
      )}
      <dl class="kv" data-churn={data && status === 'inactive' ? 'churned' : undefined}>
        {data && (
          <div>
            <dt>{t('churn.date')}</dt>
            <dd>{date(data.churnDate)}</dd>
          </div>
        )}
        {reason && (
          <div>
            <dt>{t('churn.reason')}</dt>
            <dd>{tv('reason', reason)}</dd>
          </div>
        )}
        {data?.portedToOperator && (
          <div>
            <dt>{t('churn.portedTo')}</dt>
            <dd>{tv('operator', data.portedToOperator)}</dd>
          </div>
        )}
      </dl>
    </>
  );
}
