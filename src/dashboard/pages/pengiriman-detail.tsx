import { Fragment, useEffect, useRef, useState } from 'react';
import { useIneligibleReason } from './kirim/quote-comparison';
import { useServiceLabel } from './service-names';
import { Link, useLocation, useParams } from 'react-router';
import { api, call, type Schemas } from '../api/client';
import { AlertMessage } from '../components/alert-message';
import { Async, StaleNotice, useErrorMessage, useLoad } from '../components/async';
import { TableScroll } from '../components/table-scroll';
import { useI18n } from '../i18n/i18n-context';
import { Field, FormError, FormProblem, formText, SubmitButton, useApiForm } from '../components/form';
import { ShipmentActionButton } from './shipment-action-button';
import { PickupRequest } from './kirim/pickup-request';
import { ReturnAskedNotice } from './return-asked-notice';
import { useShipmentAction } from './shipment-actions';
import { canFixAddress, courierName, listSearch, offeredActions, type ActionKind } from './shipment-query';

type Detail = Schemas['ShipmentDetailDto'];

function Summary({ s }: { s: Detail }) {
  const serviceOf = useServiceLabel();
  const { t, code, rupiah, dateTime, count } = useI18n();
  const p = s.parcel;
  const carried = carriedCharged(s);
  // A parcel its earlier booking carried is invoiced at that booking's prices, not the cancelled one's.
  const charges = carried?.charges ?? s.charges;
  return (
    <div className="columns">
      <section aria-labelledby="summary-heading" className="panel">
        <h2 id="summary-heading">{t('detail.summary')}</h2>
        <dl className="facts">
          <dt>{t('pengiriman.status')}</dt>
          <dd>
            <span className={`status status-${s.status}`}>{code('status', s.status)}</span>
            {s.risk === 'at_risk' && <span className="badge badge-risk">{t('pengiriman.atRiskBadge')}</span>}
          </dd>
          {s.reason && (
            <>
              <dt>{t('detail.reason')}</dt>
              <dd>{code('reason', s.reason)}</dd>
            </>
          )}
          <dt>{t('detail.courier')}</dt>
          <dd>{s.courier ? serviceOf(s.courier.code, s.courier.service) : t('pengiriman.notBooked')}</dd>
          {s.awb && (
            <>
              <dt>{t('detail.awb')}</dt>
              <dd className="mono">{s.awb}</dd>
            </>
          )}
          <dt>{t('pengiriman.cod')}</dt>
          <dd>{rupiah(s.codAmount)}</dd>
          <dt>{t('detail.codCollected')}</dt>
          <dd>
            {s.codCollected ? t('detail.yes') : t('detail.no')}
            {s.carriedByEarlierBooking && (
              <span className="sub" data-testid="carried-by-earlier-booking">
                {t(
                  s.carriedByEarlierBooking.awb === s.awb
                    ? 'detail.carriedAfterCancel'
                    : 'detail.carriedByEarlierBooking',
                  {
                    courier: courierName(s.carriedByEarlierBooking.courier),
                    awb: s.carriedByEarlierBooking.awb,
                  },
                )}
              </span>
            )}
          </dd>
          <dt>{t('detail.attempts')}</dt>
          <dd>{count(s.attempts)}</dd>
          <dt>{t('detail.created')}</dt>
          <dd>{dateTime(s.createdAt)}</dd>
          <dt>{t('detail.updated')}</dt>
          <dd>{dateTime(s.updatedAt)}</dd>
        </dl>
      </section>
      <section aria-labelledby="recipient-heading" className="panel">
        <h2 id="recipient-heading">{t('detail.recipient')}</h2>
        <address>
          <strong>{s.recipient.name}</strong>
          <br />
          {s.recipient.phone}
          <br />
          {s.recipient.address}
          {s.recipient.district && `, ${s.recipient.district}`}
          <br />
          {s.recipient.city}, {s.recipient.province} {s.recipient.postalCode}
        </address>
        {s.addressCorrectionUnconfirmed && (
          <p className="sub caution-text" data-testid="correction-pending">
            {t('detail.correctionPending')}
          </p>
        )}
        <h2 id="parcel-heading">{t('detail.parcel')}</h2>
        <dl className="facts" aria-labelledby="parcel-heading">
          <dt>{t('detail.weight')}</dt>
          <dd>{t('detail.grams', { grams: count(p.weightGrams) })}</dd>
          {p.lengthCm !== undefined && p.widthCm !== undefined && p.heightCm !== undefined && (
            <>
              <dt>{t('detail.size')}</dt>
              <dd>{t('detail.dimensions', { l: p.lengthCm, w: p.widthCm, h: p.heightCm })}</dd>
            </>
          )}
          {p.itemValue !== undefined && (
            <>
              <dt>{t('detail.itemValue')}</dt>
              <dd>{rupiah(p.itemValue)}</dd>
            </>
          )}
          {p.description && (
            <>
              <dt>{t('detail.contents')}</dt>
              <dd>{p.description}</dd>
            </>
          )}
        </dl>
      </section>
      <section aria-labelledby="charges-heading" className="panel">
        <h2 id="charges-heading">{t('detail.charges')}</h2>
        {carried && (
          <p className="sub" data-testid="charged-by-earlier-booking">
            {t('detail.chargedByEarlierBooking', { courier: courierName(carried.courier), awb: carried.awb })}
          </p>
        )}
        {charges ? (
          <dl className="facts">
            {chargeRows(s, charges).map((row) => (
              <Fragment key={row.label}>
                <dt>{t(row.label)}</dt>
                <dd>
                  <ConditionalFee amount={row.amount} applies={row.applies} when={row.when} />
                </dd>
              </Fragment>
            ))}
          </dl>
        ) : (
          <p className="state state-empty">{t('detail.noCharges')}</p>
        )}
      </section>
    </div>
  );
}

/**
 * The booking's charges as the page shows them, each with whether its invoice charges it. Cashback is taken
 * off the charges, as its invoice line is: written negative, as there.
 */
function chargeRows(
  s: Detail,
  c: NonNullable<Detail['charges']>,
): {
  label: 'detail.shipping' | 'detail.codFee' | 'detail.cashback' | 'detail.returnFee';
  amount: number;
  applies: boolean | undefined;
  when?: 'detail.ifDelivered' | 'detail.ifReturned';
}[] {
  return [
    { label: 'detail.shipping', amount: c.shipping, applies: !uncharged(s) },
    { label: 'detail.codFee', amount: c.codFee, applies: codFeeApplies(s), when: 'detail.ifDelivered' },
    { label: 'detail.cashback', amount: -c.cashback || 0, applies: !uncharged(s) },
    {
      label: 'detail.returnFee',
      amount: c.returnFee,
      applies: returnFeeApplies(s),
      when: 'detail.ifReturned',
    },
  ];
}

/**
 * Whether a fee the booking priced is charged: true or false once the parcel's end decides it, undefined
 * while it travels. A returned parcel showed a COD fee its invoice never charged.
 */
const codFeeApplies = (s: Detail): boolean | undefined =>
  s.status === 'delivered' || carriedCharged(s)
    ? s.codAmount > 0 && s.codCollected
    : s.status === 'returned' || uncharged(s)
      ? false
      : undefined;
const returnFeeApplies = (s: Detail): boolean | undefined =>
  s.status === 'returned'
    ? true
    : s.status === 'delivered' || uncharged(s) || carriedCharged(s)
      ? false
      : undefined;
/**
 * Ended without being invoiced: lost (Kirim and the courier settle it), cancelled, or never booked. Not a
 * cancelled parcel its earlier booking carried after all: that booking's delivery is invoiced.
 */
const uncharged = (s: Detail): boolean =>
  (s.status === 'lost' || s.status === 'cancelled' || s.status === 'booking_failed') && !carriedCharged(s);
/**
 * The earlier booking that carried a cancelled parcel after all (finance credited its COD cash), when the
 * invoice charges its quoted prices; null otherwise.
 */
const carriedCharged = (s: Detail) => (s.carriedByEarlierBooking?.charges ? s.carriedByEarlierBooking : null);

function ConditionalFee({
  amount,
  applies,
  when,
}: {
  amount: number;
  applies: boolean | undefined;
  when?: 'detail.ifDelivered' | 'detail.ifReturned';
}) {
  const { t, rupiah } = useI18n();
  if (applies === false) return <>{t('detail.notCharged')}</>;
  return (
    <>
      {rupiah(amount)}
      {applies === undefined && when && amount > 0 && <span className="sub"> ({t(when)})</span>}
    </>
  );
}

/** Who took the parcel, as the courier's proof says, with its photos and signature as links. */
function ProofOfDelivery({ pod }: { pod: NonNullable<Detail['events'][number]['pod']> }) {
  const { t } = useI18n();
  const links = [
    ...(pod.photoUrls ?? []).map((url, i) => ({ url, label: t('detail.podPhoto', { n: i + 1 }) })),
    ...(pod.signatureUrls ?? []).map((url, i) => ({ url, label: t('detail.podSignature', { n: i + 1 }) })),
  ];
  return (
    <p className="sub courier-words" data-testid="proof-of-delivery">
      {pod.receiver &&
        (pod.relation
          ? t('detail.podReceivedByAs', { name: pod.receiver, relation: pod.relation })
          : t('detail.podReceivedBy', { name: pod.receiver }))}
      {links.map((l) => (
        <span key={l.url}>
          {' · '}
          <a href={l.url} target="_blank" rel="noopener noreferrer">
            {l.label}
          </a>
        </span>
      ))}
    </p>
  );
}

function Timeline({ events }: { events: Detail['events'] }) {
  const { t, code, dateTime } = useI18n();
  return (
    <section aria-labelledby="timeline-heading" className="panel">
      <h2 id="timeline-heading">{t('detail.timeline')}</h2>
      {events.length === 0 ? (
        <p className="state state-empty">{t('detail.noEvents')}</p>
      ) : (
        <ol className="timeline">
          {events.map((e, i) => (
            <li key={`${e.at}-${e.rawCode}-${i}`} data-testid="timeline-event">
              <time dateTime={e.at}>{dateTime(e.at)}</time>
              {e.earlierBooking && (
                <p className="sub" data-testid="earlier-booking">
                  {t('detail.earlierBooking', { courier: courierName(e.courier), awb: e.awb })}
                </p>
              )}
              <p className="event-text courier-words">{e.description}</p>
              <p className="sub">
                {e.status && `${code('status', e.status)} · `}
                {t('detail.rawCode', { code: e.rawCode })}
                {e.location && ` · ${e.location}`}
              </p>
              {e.pod && <ProofOfDelivery pod={e.pod} />}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/**
 * What the choice saved: the best choice against the runner-up when the best was booked; when another was
 * booked (pinned by the seller, or after a failover), what that costs over the best instead.
 */
function DecisionSentence({ decision }: { decision: NonNullable<Detail['decision']> }) {
  const { t, rupiah } = useI18n();
  const { winner, runnerUp, booked } = decision;
  if (!winner) return null;
  const same = (a: { courier: string; service: string }, b: { courier: string; service: string }) =>
    a.courier === b.courier && a.service === b.service;
  if (booked && !same(booked, winner))
    return booked.expectedCost > winner.expectedCost ? (
      <p>{t('detail.costsMore', { amount: rupiah(booked.expectedCost - winner.expectedCost) })}</p>
    ) : null;
  // A preset other than the cheapest may rank a dearer service first: then there is no saving to tell.
  return runnerUp && runnerUp.expectedCost > winner.expectedCost ? (
    <p>{t('detail.saves', { amount: rupiah(runnerUp.expectedCost - winner.expectedCost) })}</p>
  ) : null;
}

function Decision({ decision }: { decision: Detail['decision'] }) {
  const serviceOf = useServiceLabel();
  const ineligibleReason = useIneligibleReason();
  const { t, code, rupiah, rate } = useI18n();
  return (
    <section aria-labelledby="decision-heading" className="panel">
      <h2 id="decision-heading">{t('detail.decision')}</h2>
      {!decision ? (
        <p className="state state-empty">{t('detail.noDecision')}</p>
      ) : (
        <>
          <p className="muted">{t('detail.preset', { preset: code('preset', decision.preset) })}</p>
          <dl className="figures">
            {(
              [
                ['detail.winner', decision.winner],
                ['detail.runnerUp', decision.runnerUp],
                ['detail.booked', decision.booked],
              ] as const
            ).map(
              ([label, pick]) =>
                pick && (
                  <div key={label} className="figure">
                    <dt>{t(label)}</dt>
                    <dd>{serviceOf(pick.courier, pick.service)}</dd>
                    <dd className="amount">{rupiah(pick.expectedCost)}</dd>
                    <dd className="figure-hint">{t('detail.expectedCost')}</dd>
                  </div>
                ),
            )}
          </dl>
          <DecisionSentence decision={decision} />
          <TableScroll label={t('detail.candidates')}>
            <table>
              <caption>{t('detail.candidates')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('detail.rank')}</th>
                  <th scope="col">{t('detail.service')}</th>
                  <th scope="col" className="num">
                    {t('detail.price')}
                  </th>
                  <th scope="col" className="num">
                    {t('detail.codFee')}
                  </th>
                  <th scope="col" className="num">
                    {t('detail.cashback')}
                  </th>
                  <th scope="col" className="num">
                    {t('detail.successRate')}
                  </th>
                  <th scope="col" className="num">
                    {t('detail.expectedCost')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {decision.candidates.map((c) => (
                  <tr key={`${c.courier}-${c.service}`}>
                    <td>{c.rank ?? '–'}</td>
                    <th scope="row">
                      {c.serviceName}
                      <span className="sub">{courierName(c.courier)}</span>
                      {!c.eligible && (
                        <span className="sub">
                          {t('detail.ineligible')}
                          {c.ineligibleReason && `: ${ineligibleReason(c.ineligibleReason)}`}
                        </span>
                      )}
                    </th>
                    <td className="num">{c.price === null ? '–' : rupiah(c.price)}</td>
                    <td className="num">{rupiah(c.codFee)}</td>
                    <td className="num">{c.cashback === null ? '–' : rupiah(c.cashback)}</td>
                    <td className="num">{rate(c.successRate)}</td>
                    <td className="num">{c.expectedCost === null ? '–' : rupiah(c.expectedCost)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        </>
      )}
    </section>
  );
}

/**
 * What an attempt's error is called: an order superseded by another booking is cancelled at once, or
 * still booked while its courier is asked again, or after it did not cancel it or Kirim stopped asking.
 */
function attemptErrorKey(a: Detail['pickupAttempts'][number]): string {
  if (a.outcome !== 'booked' || a.errorKind !== 'superseded') return a.errorKind ?? '';
  return a.errorCode === 'SUPERSEDED_CANCEL_PENDING' ? 'superseded_pending' : 'superseded_live';
}

function PickupAttempts({ attempts }: { attempts: Detail['pickupAttempts'] }) {
  const serviceOf = useServiceLabel();
  const { t, code, dateTime } = useI18n();
  return (
    <section aria-labelledby="pickups-heading" className="panel">
      <h2 id="pickups-heading">{t('detail.pickupAttempts')}</h2>
      {attempts.length === 0 ? (
        <p className="state state-empty">{t('detail.noPickupAttempts')}</p>
      ) : (
        <ul className="plain-list">
          {attempts.map((a, i) => (
            <li key={`${a.at}-${i}`}>
              <strong>{code('outcome', a.outcome)}</strong> · {serviceOf(a.courier, a.service)} ·{' '}
              <time dateTime={a.at}>{dateTime(a.at)}</time>
              {a.awb && <span className="sub mono">{a.awb}</span>}
              {a.errorKind && <span className="sub">{code('attemptError', attemptErrorKey(a))}</span>}
              {/* Kirim's and the courier's own words, in English: long and unbroken (a JSON body) at times. */}
              {a.errorMessage && (
                <span className="sub courier-words" lang="en">
                  {a.errorMessage}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Alerts({ alerts }: { alerts: Detail['alerts'] }) {
  const { t, code, dateTime } = useI18n();
  return (
    <section aria-labelledby="alerts-heading" className="panel">
      <h2 id="alerts-heading">{t('detail.alerts')}</h2>
      {alerts.length === 0 ? (
        <p className="state state-empty">{t('detail.noAlerts')}</p>
      ) : (
        <ul className="plain-list">
          {alerts.map((a) => (
            <li key={a.id} className="alert-item">
              <p>
                <span className={`badge severity-${a.severity}`}>{code('severity', a.severity)}</span>{' '}
                <strong>{code('rule', a.rule)}</strong> ·{' '}
                {a.resolvedAt ? t('detail.alertResolved') : t('detail.alertOpen')} ·{' '}
                <time dateTime={a.openedAt}>{dateTime(a.openedAt)}</time>
              </p>
              <p>
                <strong>{code('reason', a.reason)}</strong>
                <AlertMessage alert={a} />
              </p>
              <p>{t('detail.suggested', { action: code('suggest', a.suggestedAction) })}</p>
              {a.contact.whatsappUrl && (
                <a className="button secondary" href={a.contact.whatsappUrl} target="_blank" rel="noreferrer">
                  {t('detail.whatsapp')}
                </a>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Recipient fields of the address correction, with their labels; the name and phone are kept when left empty. */
const ADDRESS_FIELDS = [
  ['address', 'fix.address', true],
  ['district', 'fix.district', false],
  ['city', 'fix.city', true],
  ['province', 'fix.province', true],
  ['postalCode', 'fix.postalCode', true],
  ['name', 'fix.name', false],
  ['phone', 'fix.phone', false],
] as const;

/**
 * The address correction (update_address): the recipient's fields prefilled, sent to the courier with the
 * API's refusals shown by their fields (`address.city` …).
 */
function AddressFix({ s, done, refused }: { s: Detail; done: (text: string) => void; refused: () => void }) {
  const { t, code } = useI18n();
  const [open, setOpen] = useState(false);
  const requestAction = useShipmentAction();
  const current: Record<string, string | undefined> = { ...s.recipient, name: '', phone: '' };
  const form = useApiForm(async (data) => {
    const value = (name: string) => formText(data, `address.${name}`).trim();
    const address = Object.fromEntries(
      ADDRESS_FIELDS.map(([name]) => [name, value(name)]).filter(([, v]) => v !== ''),
    ) as Schemas['ActionAddressDto'];
    // The form opens filled with the address the courier has: sent unchanged, it would only ask again. A
    // field emptied is a change too (a wrong district removed).
    const changed = ADDRESS_FIELDS.some(([name]) => value(name) !== (current[name] ?? '').trim());
    if (!changed) throw new FormProblem(t('fix.nothingChanged'));
    const text = await requestAction(s.id, { action: 'update_address', address }).catch((e: unknown) => {
      refused();
      throw e;
    });
    setOpen(false);
    done(text);
  });
  return (
    <details className="fix-address" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{code('action', 'update_address')}</summary>
      <form onSubmit={form.onSubmit} noValidate>
        <FormError form={form} />
        <div className="form-grid">
          {ADDRESS_FIELDS.map(([name, label, required]) => (
            <Field
              key={name}
              name={`address.${name}`}
              label={t(label)}
              hint={required ? undefined : t(name === 'district' ? 'fix.optional' : 'fix.keptWhenEmpty')}
              defaultValue={current[name] ?? ''}
              required={required}
              maxLength={name === 'address' ? 500 : 100}
              inputMode={name === 'phone' ? 'tel' : name === 'postalCode' ? 'numeric' : undefined}
              error={form.fieldError(`address.${name}`)}
            />
          ))}
        </div>
        <SubmitButton form={form}>{t('fix.submit')}</SubmitButton>
      </form>
    </details>
  );
}

/** An address as the recipient panel writes it, on one line. */
const oneLine = (a: Schemas['RecipientViewDto']): string =>
  [a.name, a.phone, a.address, a.district, `${a.city}, ${a.province} ${a.postalCode}`]
    .filter(Boolean)
    .join(', ');

/** The correction as it was sent, to be sent again as is (its resolved district code is the API's own). */
const sameCorrection = ({
  districtCode: _code,
  ...a
}: Schemas['RecipientViewDto']): Schemas['ActionAddressDto'] => a;

/**
 * Says the parcel is held at the seller's request (`heldBy`), since when, or that it may be (the courier
 * never answered the hold): the release is among the buttons below.
 */
function HeldNotice({ hold }: { hold: Detail['actions'][number] }) {
  const { t, dateTime } = useI18n();
  const when = dateTime(hold.createdAt);
  return (
    <p className="notice" data-testid="held-notice">
      {hold.status === 'failed' ? t('detail.heldMaybe', { when }) : t('detail.heldNotice', { when })}
    </p>
  );
}

/**
 * The address correction the courier never answered (`addressCorrectionUnconfirmed`): the recipient shown is
 * still the old one, the courier may have the new one. Sending the same correction again makes it the
 * recipient once taken (offered while the status allows a correction).
 */
function UnconfirmedCorrection({
  correction,
  canResend,
  busy,
  onResend,
}: {
  correction: Detail['actions'][number] & { address: Schemas['RecipientViewDto'] };
  canResend: boolean;
  busy: boolean;
  onResend: () => void;
}) {
  const { t, dateTime } = useI18n();
  return (
    <div className="notice caution" data-testid="correction-unconfirmed">
      <p>{t('detail.correctionUnconfirmed', { when: dateTime(correction.createdAt) })}</p>
      <p>
        <strong>{oneLine(correction.address)}</strong>
      </p>
      {canResend && (
        <>
          <p className="sub">{t('detail.correctionResendHint')}</p>
          <button
            type="button"
            className="button secondary"
            disabled={busy}
            aria-busy={busy}
            onClick={onResend}
          >
            {busy ? t('form.submitting') : t('detail.correctionResend')}
          </button>
        </>
      )}
    </div>
  );
}

/** The action buttons the status allows (POST /v1/shipments/{id}/actions); the API's refusal is shown. */
interface Outcome {
  ok: boolean;
  text: string;
}

function Actions({
  s,
  refresh,
  outcome,
  setOutcome,
}: {
  s: Detail;
  /**
   * Loads the shipment again leaving the page as it is (the outcome's message, the typed note, the place
   * on the page): reloaded whole, the page blanked while it loaded and the keyboard's place was lost.
   */
  refresh: () => void;
  outcome?: Outcome;
  setOutcome: (outcome?: Outcome) => void;
}) {
  const { t, code, dateTime } = useI18n();
  const message = useErrorMessage();
  const [busy, setBusy] = useState<ActionKind>();
  const [note, setNote] = useState('');
  const hold = s.actions.find((a) => a.id === s.heldBy);
  const returnAsked = s.returnAskedAt !== null;
  const offered = offeredActions(s.status, {
    held: hold !== undefined,
    returnAsked,
    returnUnconfirmed: s.returnUnconfirmed !== null,
    reattemptAsked: s.reattemptAskedAt !== null,
  });
  const fixable = canFixAddress(s.status, returnAsked);
  const found = s.actions.find((a) => a.id === s.addressCorrectionUnconfirmed);
  const unconfirmed = found?.address ? { ...found, address: found.address } : undefined;
  const requestAction = useShipmentAction();
  // The button pressed may be gone with the status it offered: the keyboard goes on from what was done.
  const outcomeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (outcome) outcomeRef.current?.focus();
  }, [outcome]);
  const act = (action: ActionKind, address?: Schemas['ActionAddressDto']) => {
    setBusy(action);
    setOutcome(undefined);
    requestAction(
      s.id,
      {
        action,
        ...(address ? { address } : {}),
        ...(note.trim() ? { note: note.trim() } : {}),
      },
      // A re-attempt of a held parcel releases it: the outcome says so.
      { releasing: hold !== undefined && action === 'reattempt' },
    )
      .then((text) => {
        setOutcome({ ok: true, text });
        setNote('');
        refresh();
      })
      .catch((e: unknown) => {
        setOutcome({ ok: false, text: message(e) });
        // A refused action may still have been recorded (the courier down, or refusing it): the history
        // shows it, the typed note and the message staying as they are.
        refresh();
      })
      .finally(() => setBusy(undefined));
  };
  return (
    <section aria-labelledby="actions-heading" className="panel">
      <h2 id="actions-heading">{t('detail.actions')}</h2>
      {outcome && (
        <p
          className={outcome.ok ? 'notice' : 'form-error'}
          role={outcome.ok ? 'status' : 'alert'}
          tabIndex={-1}
          ref={outcomeRef}
        >
          {outcome.text}
        </p>
      )}
      {s.returnAskedAt && (
        <ReturnAskedNotice at={s.returnAskedAt} unconfirmed={s.returnUnconfirmed !== null} />
      )}
      {hold && <HeldNotice hold={hold} />}
      {unconfirmed && (
        <UnconfirmedCorrection
          correction={unconfirmed}
          canResend={fixable}
          busy={busy !== undefined}
          onResend={() => act('update_address', sameCorrection(unconfirmed.address))}
        />
      )}
      {offered.length === 0 && !fixable && !returnAsked && !BOOKABLE.has(s.status) && (
        <p className="state state-empty">{t('detail.noActionsAllowed')}</p>
      )}
      {BOOKABLE.has(s.status) && (
        // Ready, or its booking failed (a courier the seller pinned missed the pickup, or every courier
        // refused): its pickup is requested from here, and the page reads the shipment again once booked.
        <PickupRequest
          shipmentIds={[s.id]}
          label={s.status === 'booking_failed' ? t('detail.requestPickupAgain') : t('kirim.requestPickup')}
          references={{ [s.id]: s.reference }}
          onDone={refresh}
        />
      )}
      {offered.length > 0 && (
        <>
          <div className="field">
            <label htmlFor="action-note">{t('detail.note')}</label>
            <input id="action-note" value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
          </div>
          <div className="button-row">
            {offered.map((action) => (
              <ShipmentActionButton
                key={action}
                action={action}
                busy={busy}
                // Releasing the seller's hold is a re-attempt: said as what it does for a held parcel.
                label={hold && action === 'reattempt' ? t('detail.release') : undefined}
                primary={hold !== undefined && action === 'reattempt'}
                onAct={act}
              />
            ))}
          </div>
        </>
      )}
      {fixable && (
        <AddressFix
          s={s}
          done={(text) => {
            setOutcome({ ok: true, text });
            refresh();
          }}
          refused={refresh}
        />
      )}
      <h3>{t('detail.history')}</h3>
      {s.actions.length === 0 ? (
        <p className="state state-empty">{t('detail.noHistory')}</p>
      ) : (
        <ul className="plain-list">
          {s.actions.map((a) => (
            <li key={a.id}>
              <strong>{code('action', a.action)}</strong> · {code('actionStatus', a.status)} ·{' '}
              <time dateTime={a.createdAt}>{dateTime(a.createdAt)}</time>
              {a.note && <span className="sub">{a.note}</span>}
              {/* An action of an earlier booking: which one (the page's header shows the current). */}
              {a.awb !== s.awb && (
                <span className="sub">
                  {t('detail.earlierBooking', { courier: courierName(a.courier), awb: a.awb })}
                </span>
              )}
              {a.errorKind && <span className="sub error-text">{code('actionError', a.errorKind)}</span>}
              {/* The courier's own words where it refused (often English); Kirim's own are worded above. */}
              {a.error && (a.errorKind === 'refused' || !a.errorKind) && (
                <span className="sub error-text courier-words" lang="en">
                  {a.error}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The statuses a pickup may be requested in (POST /v1/pickups books only these). */
const BOOKABLE: ReadonlySet<Detail['status']> = new Set(['ready', 'booking_failed']);

/**
 * One shipment (GET /v1/shipments/{id}): status, recipient, parcel and charges, the courier's events
 * oldest first in its own words, why this courier, pickup bookings, alerts and the actions allowed.
 */
export function PengirimanDetailPage() {
  const { t } = useI18n();
  const { id = '' } = useParams();
  const location = useLocation();
  const detail = useLoad(() => call(api.GET('/v1/shipments/{id}', { params: { path: { id } } })), [id]);
  // Kept here: the page reloads the shipment after an action, and its answer must stay on screen.
  const [outcome, setOutcome] = useState<Outcome>();
  return (
    <>
      <p>
        <Link to={`/pengiriman${listSearch(location.state)}`}>← {t('detail.back')}</Link>
      </p>
      <Async loaded={detail}>
        {(s) => (
          <>
            <h1>{t('detail.title', { reference: s.reference })}</h1>
            <StaleNotice failed={detail.refreshFailed} retry={detail.refresh} />
            <Summary s={s} />
            <Alerts alerts={s.alerts} />
            <Actions s={s} refresh={detail.refresh} outcome={outcome} setOutcome={setOutcome} />
            <Timeline events={s.events} />
            <Decision decision={s.decision} />
            <PickupAttempts attempts={s.pickupAttempts} />
          </>
        )}
      </Async>
    </>
  );
}
