// The history of the customer and of its person or organisation (the 360 view's audit
// section holds both, newest first): when, who, what was done, and each attribute changed
// with its value before and after — labels, actions and values in the user's language
// (statuses, reasons, ranks, dates …), personal data as the server sent it (masked
// without pii.read).
import type { SectionProps } from './index';
import type { AuditRow, ContactMedium, Identification } from '../types';
import { useI18n, type I18n } from '../i18n';
import { mediumValue } from './contacts';
import { humanise } from './humanise';

/** bookkeeping, not a change anyone made */
const SKIP = new Set(['version', 'lastUpdate', 'createdDate', 'href', 'id', '@type', '@baseType', '@schemaLocation']);

export function changedKeys(row: AuditRow): string[] {
  const before = row.before || {};
  const after = row.after || {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !SKIP.has(k) && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/** An attribute's label: the resource's own (an organisation's name is its registered
 * name), the common one, else the name made readable. */
export function fieldLabel(i18n: I18n, resource: string, key: string): string {
  const own = i18n.tv(`field.${resource}`, key);
  if (own !== key) return own;
  const common = i18n.tv('field', key);
  return common !== key ? common : humanise(key);
}

/** the translated vocabularies, by attribute */
const VOCABULARY: Record<string, string> = {
  status: 'status',
  customerRank: 'rank',
  segment: 'segment',
  gender: 'gender',
  statusReason: 'reason',
  blacklistReason: 'reason',
  reason: 'reason',
  portedToOperator: 'operator',
  mediumType: 'medium',
  identificationType: 'id',
};

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}(T00:00(:00(\.0+)?)?Z)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** A value of an audited record as text the user reads. */
export function valueText(i18n: I18n, resource: string, key: string, v: unknown): string {
  const { t, tv, date, dateTime, number } = i18n;
  if (isEmpty(v)) return t('audit.blank');
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  if (typeof v === 'number') return number(v);
  if (typeof v === 'string') {
    if (VOCABULARY[key]) return tv(VOCABULARY[key], v);
    if (DATE_ONLY.test(v)) return date(v);
    if (DATE_TIME.test(v)) return dateTime(v);
    return v;
  }
  if (Array.isArray(v)) {
    if (key === 'contactMedium') return (v as ContactMedium[]).map((m) => `${tv('medium', m.mediumType)} ${mediumValue(m)}`).join('; ');
    if (/Identification$/.test(key))
      return (v as Identification[]).map((x) => `${tv('id', x.identificationType)} ${x.identificationId}`).join('; ');
    return v.map((x) => valueText(i18n, resource, key, x)).join('; ');
  }
  const o = v as Record<string, unknown>;
  if (key === 'engagedParty' || key === 'organizationParentRelationship') return String(o.name || o.id || '');
  return Object.keys(o)
    .filter((k) => !SKIP.has(k) && !isEmpty(o[k]))
    .map((k) => `${fieldLabel(i18n, resource, k)} ${valueText(i18n, resource, k, o[k])}`)
    .join(' · ');
}

/** What a row records: "Customer changed", "Person registered" … */
export function whatText(i18n: I18n, row: AuditRow): string {
  const key = `audit.what.${row.resource}`;
  const own = i18n.tv(key, row.action);
  if (own !== row.action) return own;
  return `${i18n.tv('audit.resource', row.resource)} ${i18n.tv('audit.action', row.action)}`;
}

function Changes({ row }: { row: AuditRow }) {
  const i18n = useI18n();
  const { t } = i18n;
  const before = row.before || {};
  const after = row.after || {};
  // a creation: the values it was made with; a change: before and after; a deletion: nothing more
  const keys = row.action === 'delete' ? [] : changedKeys(row).filter((k) => row.before || (!isEmpty(after[k]) && after[k] !== false));
  if (keys.length === 0) return null;
  return (
    <ul class="changes">
      {keys.map((k) => (
        <li key={k} data-field={k}>
          <span class="field-name">{fieldLabel(i18n, row.resource, k)}</span>{' '}
          {row.before ? (
            <>
              <span class="sr-only">{`${t('admin.audit.before')}: `}</span>
              <del class="before">{valueText(i18n, row.resource, k, before[k])}</del>
              <span aria-hidden="true">{' → '}</span>
              <span class="sr-only">{`, ${t('admin.audit.after')}: `}</span>
              <ins class="after">{valueText(i18n, row.resource, k, after[k])}</ins>
            </>
          ) : (
            <span class="after">{valueText(i18n, row.resource, k, after[k])}</span>
          )}
        </li>
      ))}
    </ul>
  );
}

export function AuditSection({ data }: SectionProps<AuditRow[] | null>) {
  const i18n = useI18n();
  const { t, dateTime } = i18n;
  if (!data || data.length === 0) return <p class="muted">{t('audit.none')}</p>;
  return (
    <div class="table-wrap">
      <table class="list history">
        <thead>
          <tr>
            <th scope="col">{t('audit.at')}</th>
            <th scope="col">{t('audit.actor')}</th>
            <th scope="col">{t('audit.what')}</th>
            <th scope="col">{t('audit.changes')}</th>
          </tr>
        </thead>
        <tbody>
          {data.map((r) => (
            <tr key={r.seq} data-seq={r.seq} data-resource={r.resource} data-action={r.action}>
              <td class="nowrap">{dateTime(r.at)}</td>
              <td>{r.actor}</td>
              <td class="what">{whatText(i18n, r)}</td>
              <td>
                <Changes row={r} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
