import { serviceLabel } from '../service-names';
import { TableScroll } from '../../components/table-scroll';
import { useI18n } from '../../i18n/i18n-context';
import type { MessageKey } from '../../i18n/id';
import {
  BREAKDOWN_TERMS,
  breakdownTerm,
  optionKey,
  recommendationOf,
  type QuoteOption,
} from './shipment-form';

/** Why a service cannot carry the parcel, for each reason the scoring gives (src/scoring/scoring.model.ts). */
const INELIGIBLE: Record<string, MessageKey> = {
  too_heavy: 'kirim.reason.too_heavy',
  too_light: 'kirim.reason.too_light',
  cod_not_supported: 'kirim.reason.cod_not_supported',
  cod_over_limit: 'kirim.reason.cod_over_limit',
  route_not_served: 'kirim.reason.route_not_served',
  area_not_mapped: 'kirim.reason.area_not_mapped',
  circuit_open: 'kirim.reason.circuit_open',
  courier_timeout: 'kirim.reason.courier_timeout',
  courier_error: 'kirim.reason.courier_error',
};

/** Why a service cannot carry the parcel, in the seller's language (the reason's code when it is new). */
export function useIneligibleReason(): (reason: string) => string {
  const { t } = useI18n();
  return (reason) => (INELIGIBLE[reason] ? t(INELIGIBLE[reason]) : reason);
}

const TERM_LABEL: Record<(typeof BREAKDOWN_TERMS)[number], MessageKey> = {
  price: 'kirim.term.price',
  codFee: 'kirim.term.codFee',
  cashback: 'kirim.term.cashback',
  failureCost: 'kirim.term.failureCost',
  pickupCost: 'kirim.term.pickupCost',
  expectedCost: 'kirim.term.expectedCost',
  speedCost: 'kirim.term.speedCost',
  uncertaintyCost: 'kirim.term.uncertaintyCost',
  score: 'kirim.term.score',
};

/** Why the recommendation: each term of its breakdown beside the runner-up's, and what it saves. */
function Why({ best, runnerUp }: { best: QuoteOption; runnerUp?: QuoteOption }) {
  const { t, rupiah } = useI18n();
  const money = (v: number | null) => (v === null ? '–' : rupiah(v));
  return (
    <section className="panel quote-why" aria-labelledby="quote-why-heading" data-testid="quote-why">
      <h3 id="quote-why-heading">{t('kirim.whyTitle', { service: serviceLabel(best) })}</h3>
      {!runnerUp || best.expectedCost === null || runnerUp.expectedCost === null ? (
        <p>{t('kirim.whyOnly')}</p>
      ) : (
        <>
          <p>
            {runnerUp.expectedCost >= best.expectedCost
              ? t('kirim.whySaves', {
                  amount: rupiah(runnerUp.expectedCost - best.expectedCost),
                  other: serviceLabel(runnerUp),
                })
              : t('kirim.whyCostsMore', {
                  amount: rupiah(best.expectedCost - runnerUp.expectedCost),
                  other: serviceLabel(runnerUp),
                })}
          </p>
          <TableScroll label={t('kirim.whyTable')}>
            <table className="why-table">
              <caption>{t('kirim.whyTable')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('kirim.term')}</th>
                  <th scope="col" className="num">
                    {serviceLabel(best)}
                  </th>
                  <th scope="col" className="num">
                    {serviceLabel(runnerUp)}
                  </th>
                  <th scope="col" className="num">
                    {t('kirim.difference')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {BREAKDOWN_TERMS.map((term) => {
                  const a = breakdownTerm(best, term);
                  const b = breakdownTerm(runnerUp, term);
                  return (
                    <tr key={term} className={term === 'expectedCost' ? 'why-total' : undefined}>
                      <th scope="row">{t(TERM_LABEL[term])}</th>
                      <td className="num">{money(a)}</td>
                      <td className="num">{money(b)}</td>
                      <td className="num">{a === null || b === null ? '–' : rupiah(b - a)}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </TableScroll>
          <p className="muted">{t('kirim.whyNote')}</p>
        </>
      )}
    </section>
  );
}

/**
 * Every courier service for the parcel (POST /v1/quotes), ranked: price, COD fee, cashback, promised and
 * observed transit days, success rate and expected cost; the recommendation marked and explained; the
 * ineligible ones with their reason. The seller may pick another eligible service.
 */
export function QuoteComparison({
  options,
  chosen,
  onChoose,
}: {
  options: readonly QuoteOption[];
  /** The picked service (`courier/service`), or undefined to keep the recommendation. */
  chosen?: string;
  onChoose: (key: string | undefined) => void;
}) {
  const { t, rupiah, rate, count } = useI18n();
  const ineligibleReason = useIneligibleReason();
  const { best, runnerUp } = recommendationOf(options);
  const money = (v: number | null) => (v === null ? '–' : rupiah(v));
  const days = (min: number, max: number) =>
    min === max
      ? t('kirim.days', { n: count(min) })
      : t('kirim.daysRange', { min: count(min), max: count(max) });
  return (
    <>
      {best ? <Why best={best} runnerUp={runnerUp} /> : <p className="form-error">{t('kirim.noEligible')}</p>}
      <fieldset className="quote-choice">
        <legend>{t('kirim.chooseService')}</legend>
        <TableScroll label={t('kirim.quotesTitle')}>
          <table className="quote-table">
            <caption className="visually-hidden">{t('kirim.quotesTitle')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('kirim.rank')}</th>
                <th scope="col">{t('kirim.service')}</th>
                <th scope="col" className="num">
                  {t('kirim.price')}
                </th>
                <th scope="col" className="num">
                  {t('kirim.codFee')}
                </th>
                <th scope="col" className="num">
                  {t('kirim.cashback')}
                </th>
                <th scope="col">{t('kirim.etaPromised')}</th>
                <th scope="col">{t('kirim.etaObserved')}</th>
                <th scope="col" className="num">
                  {t('kirim.successRate')}
                </th>
                <th scope="col" className="num">
                  {t('kirim.expectedCost')}
                </th>
                <th scope="col">{t('kirim.pick')}</th>
              </tr>
            </thead>
            <tbody>
              {options.map((o) => {
                const key = optionKey(o);
                const recommended = best !== undefined && optionKey(best) === key;
                const picked = chosen === key || (chosen === undefined && recommended);
                return (
                  <tr
                    key={key}
                    data-testid="quote-option"
                    className={[
                      'quote-row',
                      recommended && 'quote-recommended',
                      !o.eligible && 'quote-ineligible',
                    ]
                      .filter(Boolean)
                      .join(' ')}
                  >
                    <td data-label={t('kirim.rank')}>
                      <div>{o.rank ?? '–'}</div>
                    </td>
                    <th scope="row" data-label={t('kirim.service')}>
                      <div>
                        <strong>{serviceLabel(o)}</strong>
                        {recommended && (
                          <span className="badge badge-recommended">{t('kirim.recommended')}</span>
                        )}
                        {!o.eligible && (
                          <span className="sub error-text">
                            {t('kirim.ineligible')}:{' '}
                            {o.ineligibleReason ? ineligibleReason(o.ineligibleReason) : '–'}
                          </span>
                        )}
                      </div>
                    </th>
                    <td data-label={t('kirim.price')} className="num">
                      <div>{money(o.price)}</div>
                    </td>
                    <td data-label={t('kirim.codFee')} className="num">
                      <div>{rupiah(o.codFee)}</div>
                    </td>
                    <td data-label={t('kirim.cashback')} className="num">
                      <div>{money(o.cashback)}</div>
                    </td>
                    <td data-label={t('kirim.etaPromised')}>
                      <div>{days(o.etaDays.min, o.etaDays.max)}</div>
                    </td>
                    <td data-label={t('kirim.etaObserved')}>
                      <div>
                        {o.observedTransitDays
                          ? t('kirim.observed', {
                              p50: count(o.observedTransitDays.p50),
                              p90: count(o.observedTransitDays.p90),
                            })
                          : t('kirim.noData')}
                      </div>
                    </td>
                    <td data-label={t('kirim.successRate')} className="num">
                      <div>{rate(o.successRate)}</div>
                    </td>
                    <td data-label={t('kirim.expectedCost')} className="num">
                      <div>{money(o.expectedCost)}</div>
                    </td>
                    <td data-label={t('kirim.pick')}>
                      <div>
                        {o.eligible ? (
                          <label className="quote-pick">
                            <input
                              type="radio"
                              name="courier-choice"
                              value={key}
                              checked={picked}
                              onChange={() => onChoose(recommended ? undefined : key)}
                            />{' '}
                            {t('kirim.pick')}
                            <span className="visually-hidden"> {serviceLabel(o)}</span>
                          </label>
                        ) : (
                          '–'
                        )}
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      </fieldset>
    </>
  );
}
