import { api, call } from '../api/client';
import { Async, useLoad } from '../components/async';
import { useI18n } from '../i18n/i18n-context';
import type { MessageKey } from '../i18n/id';

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

/** The seller's overview: balance (GET /v1/balance), shipments by status and open alerts (GET /v1/monitoring). */
export function BerandaPage() {
  const { t, rupiah, code, date } = useI18n();
  const balance = useLoad(() => call(api.GET('/v1/balance')), []);
  const monitoring = useLoad(() => call(api.GET('/v1/monitoring')), []);
  return (
    <>
      <h1>{t('beranda.title')}</h1>
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
    </>
  );
}
