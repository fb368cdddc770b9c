import { Link } from 'react-router';
import { api, call, type Schemas } from '../api/client';
import { AlertMessage } from '../components/alert-message';
import { Async, useLoad } from '../components/async';
import { TableScroll } from '../components/table-scroll';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/id';
import { courierName } from './shipment-query';

const BALANCE: { key: 'pending' | 'available' | 'withdrawable'; label: MessageKey; hint: MessageKey }[] = [
  { key: 'pending', label: 'beranda.pending', hint: 'beranda.pendingHint' },
  { key: 'available', label: 'beranda.available', hint: 'beranda.availableHint' },
  { key: 'withdrawable', label: 'beranda.withdrawable', hint: 'beranda.withdrawableHint' },
];

/** Counts by a code, largest first, without the zeros. */
const ranked = (counts: Record<string, number>) =>
  Object.entries(counts)
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b));

/** Counts by a code (largest first) as a two-column table: what is counted, and how many. */
function CountTable(props: {
  caption?: string;
  heading: string;
  counts: Record<string, number>;
  label: (code: string) => string;
}) {
  const { t, count } = useI18n();
  return (
    <table>
      {props.caption && <caption>{props.caption}</caption>}
      <thead>
        <tr>
          <th scope="col">{props.heading}</th>
          <th scope="col" className="num">
            {t('beranda.count')}
          </th>
        </tr>
      </thead>
      <tbody>
        {ranked(props.counts).map(([key, n]) => (
          <tr key={key}>
            <th scope="row">{props.label(key)}</th>
            <td className="num">{count(n)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** How many of the most pressing open alerts the overview lists. */
const ATTENTION_LIMIT = 5;

/**
 * Delivery success and return rates per courier over the window: a bar pair per courier (drawn with SVG
 * attributes, which the strict CSP allows) beside the figures themselves, so nothing depends on colour.
 */
function CourierRates({ couriers }: { couriers: Schemas['CourierFiguresDto'][] }) {
  const { t, rate, count } = useI18n();
  const rows = [...couriers].sort((a, b) => b.shipments - a.shipments || a.courier.localeCompare(b.courier));
  const bar = (value: number | null) => `${Math.round((value ?? 0) * 1000) / 10}%`;
  return (
    <TableScroll label={t('beranda.couriers')}>
      <table className="courier-rates">
        <thead>
          <tr>
            <th scope="col">{t('beranda.courier')}</th>
            <th scope="col">
              <span className="legend legend-success">{t('beranda.successRate')}</span>{' '}
              <span className="legend legend-return">{t('beranda.returnRate')}</span>
            </th>
            <th scope="col" className="num">
              {t('beranda.successRate')}
            </th>
            <th scope="col" className="num">
              {t('beranda.returnRate')}
            </th>
            <th scope="col" className="num">
              {t('beranda.ended')}
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((c) => (
            <tr key={c.courier}>
              <th scope="row">{courierName(c.courier)}</th>
              <td className="rate-bars">
                <svg viewBox="0 0 100 14" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                  <rect className="track" x="0" y="0" width="100%" height="6" />
                  <rect className="bar-success" x="0" y="0" width={bar(c.successRate)} height="6" />
                  <rect className="track" x="0" y="8" width="100%" height="6" />
                  <rect className="bar-return" x="0" y="8" width={bar(c.returnRate)} height="6" />
                </svg>
              </td>
              <td className="num">{rate(c.successRate)}</td>
              <td className="num">{rate(c.returnRate)}</td>
              <td className="num">{count(c.shipments)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** The open alerts to deal with first (the API lists them most severe, then newest, first). */
function Attention() {
  const { t, code, dateTime } = useI18n();
  const alerts = useLoad(
    () => call(api.GET('/v1/alerts', { params: { query: { state: 'open', limit: ATTENTION_LIMIT } } })),
    [],
  );
  return (
    <section aria-labelledby="attention-heading" className="panel">
      <h2 id="attention-heading">{t('beranda.attention')}</h2>
      <Async loaded={alerts} isEmpty={(a) => a.items.length === 0} empty={t('beranda.nothingUrgent')}>
        {(a) => (
          <>
            <ul className="plain-list attention">
              {a.items.map((alert) => (
                <li key={alert.id}>
                  <span className={`badge severity-${alert.severity}`}>
                    {code('severity', alert.severity)}
                  </span>{' '}
                  <strong>{code('rule', alert.rule)}</strong> ·{' '}
                  <time dateTime={alert.openedAt}>{dateTime(alert.openedAt)}</time>
                  <span className="sub">{code('reason', alert.reason)}</span>
                  <AlertMessage alert={alert} />
                  <span className="sub">
                    {t('detail.suggested', { action: code('suggest', alert.suggestedAction) })} ·{' '}
                    <Link to={`/pengiriman/${alert.shipmentId}`}>
                      {t('beranda.openShipment', { reference: alert.shipmentReference })}
                    </Link>
                  </span>
                </li>
              ))}
            </ul>
            {a.nextCursor && (
              <p>
                <Link to="/peringatan">{t('beranda.allAlerts')}</Link>
              </p>
            )}
          </>
        )}
      </Async>
    </section>
  );
}

/**
 * The seller's overview: what needs attention first (GET /v1/alerts), balance (GET /v1/balance), shipments
 * by status, open alerts by rule and each courier's delivery and return rates (GET /v1/monitoring).
 */
export function BerandaPage() {
  const { t, rupiah, code, date } = useI18n();
  const balance = useLoad(() => call(api.GET('/v1/balance')), []);
  const monitoring = useLoad(() => call(api.GET('/v1/monitoring')), []);
  return (
    <>
      <h1>{t('beranda.title')}</h1>
      <Attention />
      <section aria-labelledby="balance-heading" className="panel">
        <h2 id="balance-heading">{t('beranda.balance')}</h2>
        <Async loaded={balance}>
          {(b) => (
            <dl className="figures">
              {BALANCE.map((f) => (
                <div key={f.key} className="figure">
                  <dt>{t(f.label)}</dt>
                  <dd className="amount">{rupiah(b[f.key])}</dd>
                  <dd className="figure-hint">{t(f.hint)}</dd>
                </div>
              ))}
            </dl>
          )}
        </Async>
      </section>
      <div className="columns">
        <section aria-labelledby="status-heading" className="panel">
          <h2 id="status-heading">{t('beranda.shipments')}</h2>
          <Async
            loaded={monitoring}
            isEmpty={(m) => ranked(m.byStatus).length === 0}
            empty={t('beranda.noShipments')}
          >
            {(m) => (
              <CountTable
                caption={t('beranda.shipmentsWindow', { from: date(m.from), to: date(m.to) })}
                heading={t('beranda.status')}
                counts={m.byStatus}
                label={(status) => code('status', status)}
              />
            )}
          </Async>
        </section>
        <section aria-labelledby="alerts-heading" className="panel">
          <h2 id="alerts-heading">{t('beranda.alerts')}</h2>
          <Async
            loaded={monitoring}
            isEmpty={(m) => ranked(m.openAlertsByRule).length === 0}
            empty={t('beranda.noAlerts')}
          >
            {(m) => (
              <CountTable
                heading={t('beranda.rule')}
                counts={m.openAlertsByRule}
                label={(rule) => code('rule', rule)}
              />
            )}
          </Async>
        </section>
      </div>
      <section aria-labelledby="couriers-heading" className="panel">
        <h2 id="couriers-heading">{t('beranda.couriers')}</h2>
        <Async
          loaded={monitoring}
          isEmpty={(m) => m.couriers.every((c) => c.shipments === 0)}
          empty={t('beranda.noEnded')}
        >
          {(m) => <CourierRates couriers={m.couriers.filter((c) => c.shipments > 0)} />}
        </Async>
      </section>
    </>
  );
}
