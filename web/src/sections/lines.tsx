// The customer's lines, first on the page: each line's number (or account name), its plan
// and monthly fee, its status, what sits on it (data packs, value-added services) and the
// account its bills go to; lines that ended come last, dimmed.
import type { SectionProps } from './index';
import { useI18n } from '../i18n';

export interface Line {
  id: string;
  name: string;
  productType: string;
  status: string;
  msisdn?: string;
  productSerialNumber?: string;
  startDate?: string;
  terminationDate?: string;
  monthlyFee: number;
  productOffering?: { name?: string };
  billingAccount?: { name?: string };
  addOns?: Line[];
}

export function LinesSection({ data }: SectionProps<Line[]>) {
  const { t, tv, date, cny } = useI18n();
  if (!data.length) return <p class="muted" data-lines="none">{t('lines.none')}</p>;
  return (
    <table class="lines" id="lines-table">
      <thead>
        <tr>
          <th>{t('lines.number')}</th>
          <th>{t('lines.plan')}</th>
          <th class="money">{t('lines.monthly')}</th>
          <th>{t('lines.status')}</th>
          <th>{t('lines.addOns')}</th>
        </tr>
      </thead>
      <tbody>
        {data.map((l) => (
          <tr key={l.id} data-line={l.id} class={l.status === 'terminated' ? 'ended' : undefined}>
            <td>
              <strong class="line-number">{l.msisdn || l.productSerialNumber || '—'}</strong>
              <div class="muted">{tv('productType', l.productType)}</div>
            </td>
            <td>
              {l.productOffering?.name || l.name}
              {l.billingAccount?.name && <div class="muted">{t('lines.account', { name: l.billingAccount.name })}</div>}
            </td>
            <td class="money">{cny(l.monthlyFee)}</td>
            <td>
              <span class={`badge status-${l.status}`}>{tv('status', l.status)}</span>
              <div class="muted">
                {l.status === 'terminated' ? t('lines.ended', { date: date(l.terminationDate) }) : l.startDate ? t('lines.since', { date: date(l.startDate) }) : ''}
              </div>
            </td>
            <td>
              {(l.addOns || []).length === 0 ? (
                <span class="muted">—</span>
              ) : (
                <ul class="add-ons">
                  {(l.addOns || []).map((a) => (
                    <li key={a.id} data-add-on={a.id}>
                      {a.name} · {cny(a.monthlyFee)}
                      {a.status !== 'active' && <> · {tv('status', a.status)}</>}
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
