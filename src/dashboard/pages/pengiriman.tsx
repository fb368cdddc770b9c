import { type FormEvent, type MouseEvent } from 'react';
import { useServiceLabel } from './service-names';
import { useLocation, useNavigate, useSearchParams } from 'react-router';
import { api, call, type Schemas } from '../api/client';
import { preload, takePreloaded } from '../api/preload';
import { Async, useFieldMessages } from '../components/async';
import { ListFooter, usePagedList } from '../components/paged-list';
import { Field } from '../components/form';
import { TableScroll } from '../components/table-scroll';
import { useI18n } from '../i18n/i18n-context';
import {
  apiQuery,
  COURIERS,
  courierName,
  filtersFromSearch,
  type ListState,
  searchFromFilters,
  SHIPMENT_STATUSES,
  type ShipmentFilters,
} from './shipment-query';

type Shipment = Schemas['ShipmentDto'];
type ShipmentPage = Schemas['ShipmentPageDto'];

const fetchPage = (filters: ShipmentFilters, cursor?: string): Promise<ShipmentPage> =>
  call(api.GET('/v1/shipments', { params: { query: apiQuery(filters, cursor) } }));

const preloadKey = (key: string) => `shipments?${key}`;

/** Requests the unfiltered list's first page as the navigation to it starts (see api/preload). */
export function preloadShipmentList(): void {
  preload(preloadKey(''), () => fetchPage(filtersFromSearch(new URLSearchParams())));
}

/** The filters, kept in the URL: submitting replaces the query, so the list can be reloaded or shared. */
function FilterForm({
  filters,
  fieldErrors,
  onApply,
}: {
  filters: ShipmentFilters;
  fieldErrors: Record<string, string>;
  onApply: (filters: ShipmentFilters) => void;
}) {
  const { t, code } = useI18n();
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const search = new URLSearchParams();
    for (const [name, value] of data) if (typeof value === 'string' && value) search.set(name, value);
    onApply(filtersFromSearch(search));
  };
  return (
    <form className="filters panel" role="search" aria-label={t('pengiriman.filters')} onSubmit={submit}>
      <Field
        id="filter-q"
        className="filter-q"
        label={t('pengiriman.search')}
        hint={t('pengiriman.searchHint')}
        error={fieldErrors.q}
        name="q"
        type="search"
        defaultValue={filters.q ?? ''}
      />
      <div className="field">
        <label htmlFor="filter-status">{t('pengiriman.status')}</label>
        <select id="filter-status" name="status" defaultValue={filters.status ?? ''}>
          <option value="">{t('pengiriman.allStatuses')}</option>
          {SHIPMENT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {code('status', s)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="filter-courier">{t('pengiriman.courier')}</label>
        <select id="filter-courier" name="courier" defaultValue={filters.courier ?? ''}>
          <option value="">{t('pengiriman.allCouriers')}</option>
          {COURIERS.map((c) => (
            <option key={c} value={c}>
              {courierName(c)}
            </option>
          ))}
        </select>
      </div>
      <Field
        id="filter-from"
        label={t('pengiriman.from')}
        error={fieldErrors.from}
        name="from"
        type="date"
        defaultValue={filters.from ?? ''}
      />
      <Field
        id="filter-to"
        label={t('pengiriman.to')}
        error={fieldErrors.to}
        name="to"
        type="date"
        defaultValue={filters.to ?? ''}
      />
      <div className="field filter-check">
        <label>
          <input type="checkbox" name="risk" value="at_risk" defaultChecked={filters.atRisk} />{' '}
          {t('pengiriman.atRisk')}
        </label>
      </div>
      <div className="filter-buttons">
        <button type="submit" className="button primary">
          {t('pengiriman.apply')}
        </button>
        <button type="button" className="button secondary" onClick={() => onApply({ atRisk: false })}>
          {t('pengiriman.reset')}
        </button>
      </div>
    </form>
  );
}

/**
 * The rows' links are plain anchors (a router Link per row costs a page of 50 several hooks each); one
 * handler on the table body routes a plain left click within the app, and any other click (new tab, a
 * modifier key) is left to the browser.
 */
function useRowLinkFollower(): (event: MouseEvent<HTMLElement>) => void {
  const navigate = useNavigate();
  // The list's filters go along, for the shipment's page to link back to the same list.
  const { search } = useLocation();
  return (event) => {
    const link = (event.target as HTMLElement).closest('a.row-link');
    if (!(link instanceof HTMLAnchorElement)) return;
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    void navigate(link.pathname, { state: { list: search } satisfies ListState });
  };
}

function ShipmentRow({ s }: { s: Shipment }) {
  const serviceOf = useServiceLabel();
  const { t, code, rupiah, dateTime } = useI18n();
  return (
    <tr data-testid="shipment-row" className="shipment-row">
      <td data-label={t('pengiriman.reference')} className="cell-reference">
        <div>
          <a href={`/pengiriman/${s.id}`} className="row-link">
            {s.reference}
          </a>
          {s.risk === 'at_risk' && <span className="badge badge-risk">{t('pengiriman.atRiskBadge')}</span>}
        </div>
      </td>
      <td data-label={t('pengiriman.recipient')}>
        <div>
          {s.recipient.name}
          <span className="sub">{s.recipient.city}</span>
        </div>
      </td>
      <td data-label={t('pengiriman.status')}>
        <div>
          <span className={`status status-${s.status}`}>{code('status', s.status)}</span>
        </div>
      </td>
      <td data-label={t('pengiriman.courierAwb')}>
        <div>
          {s.courier ? serviceOf(s.courier.code, s.courier.service) : t('pengiriman.notBooked')}
          {s.awb && <span className="sub mono">{s.awb}</span>}
        </div>
      </td>
      <td data-label={t('pengiriman.cod')} className="num">
        <div>{rupiah(s.codAmount)}</div>
      </td>
      <td data-label={t('pengiriman.created')}>
        <div>{dateTime(s.createdAt)}</div>
      </td>
    </tr>
  );
}

/**
 * The seller's shipments (GET /v1/shipments): filters in the URL, 50 a page, "Muat lagi" follows the
 * cursor; each row links to its shipment.
 */
export function PengirimanPage() {
  const { t, count } = useI18n();
  const [search, setSearch] = useSearchParams();
  const filters = filtersFromSearch(search);
  const key = searchFromFilters(filters).toString();
  const followRowLink = useRowLinkFollower();
  const list = usePagedList<Shipment>(
    (cursor) =>
      (cursor ? undefined : takePreloaded<ShipmentPage>(preloadKey(key))) ?? fetchPage(filters, cursor),
    [key],
  );
  const first = list.first;
  const fieldMessages = useFieldMessages();
  const fieldErrors = first.status === 'error' ? fieldMessages(first.error) : {};
  const filtered = key !== '';

  return (
    <>
      <h1>{t('pengiriman.title')}</h1>
      <FilterForm
        key={key}
        filters={filters}
        fieldErrors={fieldErrors}
        onApply={(f) => setSearch(searchFromFilters(f))}
      />
      <Async
        loaded={first}
        isEmpty={(page) => page.items.length === 0}
        empty={filtered ? t('pengiriman.noMatch') : t('pengiriman.empty')}
      >
        {() => {
          const items = list.items;
          return (
            <>
              <TableScroll label={t('pengiriman.title')}>
                <table className="shipments">
                  <caption className="visually-hidden">{t('pengiriman.title')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('pengiriman.reference')}</th>
                      <th scope="col">{t('pengiriman.recipient')}</th>
                      <th scope="col">{t('pengiriman.status')}</th>
                      <th scope="col">{t('pengiriman.courierAwb')}</th>
                      <th scope="col" className="num">
                        {t('pengiriman.cod')}
                      </th>
                      <th scope="col">{t('pengiriman.created')}</th>
                    </tr>
                  </thead>
                  <tbody onClick={followRowLink}>
                    {items.map((s) => (
                      <ShipmentRow key={s.id} s={s} />
                    ))}
                  </tbody>
                </table>
              </TableScroll>
              <ListFooter list={list} shown={t('pengiriman.shown', { count: count(items.length) })} />
            </>
          );
        }}
      </Async>
    </>
  );
}
