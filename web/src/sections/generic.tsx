// Any section the UI has no view for: its data as nested key/value lists.
import type { SectionProps } from './index';
import { useI18n } from '../i18n';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

export function Value({ v }: { v: unknown }) {
  const { t, dateTime } = useI18n();
  if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return <span class="muted">{t('c360.none')}</span>;
  if (typeof v === 'boolean') return <>{v ? t('common.yes') : t('common.no')}</>;
  if (typeof v === 'string') return <>{ISO.test(v) ? dateTime(v) : v}</>;
  if (typeof v === 'number') return <>{v}</>;
  if (Array.isArray(v))
    return (
      <ol class="kv-list">
        {v.map((x, i) => (
          <li key={i}>
            <Value v={x} />
          </li>
        ))}
      </ol>
    );
  return <KeyValues obj={v as Record<string, unknown>} />;
}

export function KeyValues({ obj }: { obj: Record<string, unknown> }) {
  const keys = Object.keys(obj).filter((k) => k !== 'href');
  return (
    <dl class="kv">
      {keys.map((k) => (
        <div key={k}>
          <dt>{k}</dt>
          <dd>
            <Value v={obj[k]} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

export function GenericSection({ data }: SectionProps) {
  return <Value v={data} />;
}
