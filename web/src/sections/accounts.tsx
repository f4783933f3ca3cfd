// The customer's accounts: where the bills go, how they are paid, the credit limit and the
// balance as billing reports it; an account an enterprise pays for names it.
import type { SectionProps } from './index';
import { useI18n } from '../i18n';

interface Money { unit: string; value: number }
interface Account {
  id: string;
  name: string;
  state: string;
  '@type': string;
  ratingType?: string;
  paymentMethodType?: string;
  creditLimit?: Money;
  accountBalance?: { balanceType: string; amount: Money }[];
  accountRelationship?: { relationshipType: string; account: { name?: string; id: string } }[];
}

export function AccountsSection({ data }: SectionProps<Account[]>) {
  const { t, tv, cny } = useI18n();
  if (!data.length) return <p class="muted" data-accounts="none">{t('accounts.none')}</p>;
  return (
    <ul class="accounts">
      {data.map((a) => (
        <li key={a.id} data-account={a.id}>
          <strong>{a.name}</strong> <span class={`badge status-${a.state}`}>{tv('status', a.state)}</span>
          <div class="muted">
            {[
              a['@type'] === 'PartyAccount' ? t('accounts.party') : t('accounts.billing'),
              a.ratingType && tv('ratingType', a.ratingType),
              a.paymentMethodType && tv('paymentMethod', a.paymentMethodType),
              a.creditLimit && t('accounts.creditLimit', { amount: cny(a.creditLimit.value) }),
            ]
              .filter(Boolean)
              .join(' · ')}
          </div>
          {(a.accountBalance || []).map((b) => (
            <div key={b.balanceType}>{t('accounts.balance', { kind: tv('balanceType', b.balanceType), amount: cny(b.amount.value) })}</div>
          ))}
          {(a.accountRelationship || []).map((r) => (
            <div key={r.account.id} class="muted">{t('accounts.paidBy', { name: r.account.name || r.account.id })}</div>
          ))}
        </li>
      ))}
    </ul>
  );
}
