// Any section the UI has no view for: its data as nested key/value lists.
import type { SectionProps } from './index';
import { useI18n } from '../i18n';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
// a calendar day: the date alone, or its UTC midnight
const DAY = /^\d{4}-\d{2}-\d{2}(T00:00(:00(\.0+)?)?Z)?$/;
// numbers under these names are money (CNY): amounts, balances, arrears, prices, fees
const MONEY = /(amount|balance|arrears|price|fee|charge|due|paid|spend|arpu)$/i;

export function Value({ v, name = '' }: { v: unknown; name?: string }) {
  const { t, date, dateTime, number, cny } = useI18n();
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return <span class="muted">{t('c360.none')}</span>;
  if (typeof v === 'boolean') return <>{v ? t('common.yes') : t('common.no')}</>;
  if (typeof v === 'string') return <>{DAY.test(v) ? date(v) : ISO.test(v) ? dateTime(v) : v}</>;
  if (typeof v === 'number') return <>{MONEY.test(name) ? cny(v) : number(v)}</>;
  if (Array.isArray(v))
    return (
      <ol class="kv-list">
        {v.map((x, i) => (
          <li key={i}>
            <Value v={x} name={name} />
          </li>
        ))}
      </ol>
    );
  return <KeyValues obj={v as Record<string, unknown>} />;
}

export function KeyValues({ obj }: { obj: Record<string, unknown> }) {
  const keys = Object.keys(obj).filter((k) => k !== 'href' && k !== '@type');
  return (
    <dl class="kv">
      {keys.map((k) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <Value v={obj[k]} name={k} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function GenericSection({ data }: SectionProps) {
  return <Value v={data} />;
}
