// The customer card: name, number, status, rank, segment, org unit, dates.
import type { SectionProps } from './index';
import type { Customer } from '../types';
import { useI18n } from '../i18n';
import { useOrgName } from '../orgNames';
import { RankBadge, StatusBadge } from '../components/badges';

export function ProfileSection({ data }: SectionProps<Customer>) {
  const { t, tv, date, dateTime } = useI18n();
  const org = useOrgName(data.orgId, data.customerNo);
  return (
    <div class="profile">
      <p class="profile-name">
        <strong>{data.name}</strong> <StatusBadge status={data.status} /> <RankBadge rank={data.customerRank} />
        {data.blacklisted && <span class="badge danger">{t('flags.blacklisted')}</span>}
        {data.bigCustomerPotential && <span class="badge info">{t('flags.big')}</span>}
      </p>
      <dl class="kv">
        <div>
          <dt>{t('col.customerNo')}</dt>
          <dd class="mono">{data.customerNo}</dd>
        </div>
        <div>
          <dt>{t('profile.segment')}</dt>
          <dd>{tv('segment', data.segment) || t('c360.none')}</dd>
        </div>
        <div>
          <dt>{t('profile.org')}</dt>
          <dd>
            {org}
            {org !== data.orgId && <span class="muted"> ({data.orgId})</span>}
          </dd>
        </div>
        <div>
          <dt>{t('profile.created')}</dt>
          <dd>{date(data.createdDate)}</dd>
        </div>
        <div>
          <dt>{t('profile.updated')}</dt>
          <dd>{dateTime(data.lastUpdate)}</dd>
        </div>
      </dl>
    </div>
  );
}
