// /catalog — the product catalogue as staff sell from it (TMF620 offerings with their
// prices, GET /tmf-api/productCatalogManagement/v4/…): on sale by default, or in design,
// retired, all; filtered by name as typed; each offering with its monthly fee first, then
// its one-off and usage charges, what a bundle holds, and the channels that sell it.
import { useMemo, useState } from 'preact/hooks';
import { useI18n, type I18n } from '../i18n';
import { useTitle } from '../components/title';
import { useList } from './adminShared';
import { NotLoaded } from './notFound';

const BASE = '/tmf-api/productCatalogManagement/v4';

interface Ref {
  id: string;
  name?: string;
}

interface Offering {
  id: string;
  name: string;
  description?: string;
  lifecycleStatus: string;
  isBundle: boolean;
  productOfferingPrice?: Ref[];
  bundledProductOffering?: Ref[];
  channel?: Ref[];
}

interface Price {
  id: string;
  name: string;
  priceType: string;
  recurringChargePeriodType?: string;
  recurringChargePeriodLength?: number;
  price?: { unit: string; value: number };
  percentage?: number;
  unitOfMeasure?: { amount?: number; units?: string };
}

const STATES = ['active', 'inDesign', 'retired', ''];

/** One price as a clerk says it: "¥128.00 / month", "¥0.15 / min", "50% off". */
function priceText(i18n: I18n, p: Price): string {
  const { t, tv, cny, number } = i18n;
  if (p.priceType === 'discount')
    return p.percentage ? t('catalog.percentOff', { n: number(p.percentage) }) : t('catalog.amountOff', { amount: cny(p.price?.value || 0) });
  const amount = cny(p.price?.value || 0);
  if (p.priceType === 'recurring') return `${amount} / ${tv('catalog.period', p.recurringChargePeriodType)}`;
  if (p.priceType === 'usage') return `${amount} / ${p.unitOfMeasure?.units || ''}`;
  return amount;
}

export function CatalogPage() {
  const i18n = useI18n();
  const { t, tv } = i18n;
  useTitle(t('catalog.title'));
  const [state, setState] = useState('active');
  const [name, setName] = useState('');
  const offerings = useList<Offering>(`${BASE}/productOffering?limit=500&sort=name${state ? `&lifecycleStatus=${state}` : ''}`);
  const prices = useList<Price>(`${BASE}/productOfferingPrice?limit=1000`);
  const priceOf = useMemo(() => new Map((prices.items || []).map((p) => [p.id, p])), [prices.items]);
  const shown = (offerings.items || []).filter((o) => !name.trim() || o.name.toLowerCase().includes(name.trim().toLowerCase()));
  const error = offerings.error || prices.error;

  return (
    <section class="page catalog">
      <div class="page-head">
        <h1>{t('catalog.title')}</h1>
      </div>
      <div class="filters" role="search">
        <label for="catalog-name">{t('catalog.filterName')}</label>
        <input id="catalog-name" type="search" value={name} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
        <label for="catalog-state">{t('catalog.filterState')}</label>
        <select id="catalog-state" value={state} onChange={(e) => setState((e.target as HTMLSelectElement).value)}>
          {STATES.map((s) => (
            <option key={s} value={s}>
              {s ? tv('catalog.state', s) : t('catalog.allStates')}
            </option>
          ))}
        </select>
      </div>
      {error || !offerings.items || !prices.items ? (
        <NotLoaded error={error} />
      ) : shown.length === 0 ? (
        <p class="muted" id="catalog-empty">
          {t('catalog.none')}
        </p>
      ) : (
        <div class="table-wrap">
          <table class="list" id="catalog-table">
            <caption class="sr-only">{t('catalog.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('catalog.offering')}</th>
                <th scope="col">{t('catalog.monthly')}</th>
                <th scope="col">{t('catalog.otherPrices')}</th>
                <th scope="col">{t('catalog.channels')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((o) => {
                const ps = (o.productOfferingPrice || []).map((r) => priceOf.get(r.id)).filter((p): p is Price => !!p);
                const monthly = ps.filter((p) => p.priceType === 'recurring');
                const others = ps.filter((p) => p.priceType !== 'recurring');
                return (
                  <tr key={o.id} data-offering={o.id}>
                    <td>
                      <strong>{o.name}</strong>
                      {o.lifecycleStatus !== 'active' && <span class="badge info">{tv('catalog.state', o.lifecycleStatus)}</span>}
                      {o.isBundle && <span class="badge">{t('catalog.bundle')}</span>}
                      {o.isBundle && (
                        <div class="muted small">
                          {t('catalog.holds')} {(o.bundledProductOffering || []).map((b) => b.name || b.id).join(' + ')}
                        </div>
                      )}
                    </td>
                    <td class="money nowrap">{monthly.map((p) => priceText(i18n, p)).join(', ') || '—'}</td>
                    <td>
                      <ul class="plain small">
                        {others.map((p) => (
                          <li key={p.id}>
                            {p.name}: {priceText(i18n, p)}
                          </li>
                        ))}
                      </ul>
                    </td>
                    <td class="small">{(o.channel || []).map((c) => tv('catalog.channel', c.id)).join('、')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
