// Contact media of the customer, then of its party (phones, e-mail, addresses), masked as
// the server sends them.
import type { SectionProps } from './index';
import type { ContactMedium } from '../types';
import { useI18n } from '../i18n';

export function mediumValue(m: ContactMedium): string {
  const c = m.characteristic || {};
  if (m.mediumType === 'postalAddress')
    return [c.stateOrProvince, c.city, c.district, c.street1, c.street2, c.postCode].filter(Boolean).join(' ');
  return c.phoneNumber || c.emailAddress || c.faxNumber || Object.values(c).filter(Boolean).join(' ');
}

export function ContactsSection({ data }: SectionProps<ContactMedium[] | null>) {
  const { t, tv } = useI18n();
  if (!data || data.length === 0) return <p class="muted">{t('c360.none')}</p>;
  return (
    <dl class="kv contacts">
      {data.map((m, i) => (
        <div key={i}>
          <dt>{tv('medium', m.mediumType)}</dt>
          <dd>
            <span class="pii">{mediumValue(m)}</span>
            {m.preferred && <> <span class="badge info">{t('medium.preferred')}</span></>}
            {m.source && <span class="muted small"> · {tv('medium.source', m.source)}</span>}
          </dd>
        </div>
      ))}
    </dl>
  );
}
