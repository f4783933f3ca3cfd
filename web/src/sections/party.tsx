// The engaged party: the person (name, gender, birth date, ID document) or the
// organisation (names, credit code). ID numbers come masked for roles without pii.read.
import type { SectionProps } from './index';
import type { Party } from '../types';
import { useI18n } from '../i18n';

export function PartySection({ data }: SectionProps<Party | null>) {
  const { t, tv, date } = useI18n();
  if (!data) return <p class="muted">{t('party.outOfScope')}</p>;
  const type = data['@type'] || 'Individual';
  const ids = (type === 'Organization' ? data.organizationIdentification : data.individualIdentification) || [];
  return (
    <dl class="kv">
      <div>
        <dt>{t('new.kind')}</dt>
        <dd>{tv('party.type', type)}</dd>
      </div>
      {type === 'Organization' ? (
        <>
          <div>
            <dt>{t('party.tradingName')}</dt>
            <dd>{data.tradingName}</dd>
          </div>
          {data.name && (
            <div>
              <dt>{t('party.registeredName')}</dt>
              <dd>{data.name}</dd>
            </div>
          )}
          {data.organizationType && (
            <div>
              <dt>{t('party.orgType')}</dt>
              <dd>{data.organizationType}</dd>
            </div>
          )}
        </>
      ) : (
        <>
          <div>
            <dt>{t('party.fullName')}</dt>
            <dd>{data.fullName}</dd>
          </div>
          {data.gender && (
            <div>
              <dt>{t('party.gender')}</dt>
              <dd>{tv('gender', data.gender)}</dd>
            </div>
          )}
          {data.birthDate && (
            <div>
              <dt>{t('party.birthDate')}</dt>
              <dd>{date(data.birthDate)}</dd>
            </div>
          )}
          {data.nationality && (
            <div>
              <dt>{t('party.nationality')}</dt>
              <dd>{data.nationality}</dd>
            </div>
          )}
        </>
      )}
      {ids.map((id, i) => (
        <div key={i}>
          <dt>{tv('id', id.identificationType)}</dt>
          <dd class="mono pii">{id.identificationId}</dd>
        </div>
      ))}
      {data.status && (
        <div>
          <dt>{t('party.status')}</dt>
          <dd>{tv('status', data.status)}</dd>
        </div>
      )}
    </dl>
  );
}
