// The newest audit rows of the customer: when, who, what, which attributes changed.
import type { SectionProps } from './index';
import type { AuditRow } from '../types';
import { useI18n } from '../i18n';

export function changedKeys(row: AuditRow): string[] {
  const before = row.before || {};
  const after = row.after || {};
  const skip = new Set(['version', 'lastUpdate', 'href']);
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !skip.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

export function AuditSection({ data }: SectionProps<AuditRow[] | null>) {
  const { t, dateTime } = useI18n();
  if (!data || data.length === 0) return <p class="muted">{t('audit.none')}</p>;
  return (
    <div class="table-wrap">
      <table class="list">
        <thead>
          <tr>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.action')}</th>
            <th scope="col">{t('audit.changes')}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((r) => (
            <tr key={r.seq}>
              <td class="nowrap">{dateTime(r.at)}</td>
              <td>{r.actor}</td>
              <td>{r.action}</td>
              <td>{changedKeys(r).join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
