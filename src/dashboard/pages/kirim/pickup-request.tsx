import { useEffect, useState } from 'react';
import { useServiceLabel } from '../service-names';
import { Link } from 'react-router';
import { api, call, type Schemas } from '../../api/client';
import { useIdempotencyKey } from '../../api/idempotency-key';
import { useErrorMessage } from '../../components/async';
import { useI18n } from '../../i18n/i18n-context';
import { courierName } from '../shipment-query';

type Pickup = Schemas['PickupDto'];

/** How often and how many times the page asks how the booking goes before leaving it to a button. */
const POLL_EVERY_MS = 1000;
const POLL_TIMES = 20;

/**
 * "Minta pickup" for shipments (POST /v1/pickups, one Idempotency-Key per press), then the booking as it
 * goes (GET /v1/pickups/{id}, asked every second until done, a few times): each shipment's status,
 * courier and airway bill, linked to its page.
 */
export function PickupRequest({
  shipmentIds,
  label,
  references = {},
  onAccepted,
  onDone,
}: {
  shipmentIds: string[];
  label: string;
  /** Told which shipments the accepted pickup holds (so a page can offer a pickup for later ones). */
  onAccepted?: (shipmentIds: string[]) => void;
  /** Told once the booking is done (a page showing the shipment reads it again). */
  onDone?: (pickup: Pickup) => void;
  /** Each shipment's reference by id, to name its link. */
  references?: Record<string, string>;
}) {
  const { t, code } = useI18n();
  const serviceOf = useServiceLabel();
  const message = useErrorMessage();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [pickupId, setPickupId] = useState<string>();
  const [pickup, setPickup] = useState<Pickup>();
  const [polls, setPolls] = useState(0);
  const key = useIdempotencyKey();

  useEffect(() => {
    if (!pickupId || pickup?.status === 'done' || polls >= POLL_TIMES) return undefined;
    let current = true;
    const timer = setTimeout(
      () => {
        call(api.GET('/v1/pickups/{id}', { params: { path: { id: pickupId } } }))
          .then((p) => current && (setPickup(p), setError(undefined)))
          .catch((e: unknown) => current && setError(message(e)))
          .finally(() => current && setPolls((n) => n + 1));
      },
      polls === 0 ? 0 : POLL_EVERY_MS,
    );
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one request per poll round
  }, [pickupId, polls]);

  const request = () => {
    setBusy(true);
    setError(undefined);
    call(
      api.POST('/v1/pickups', {
        params: { header: { 'Idempotency-Key': key.current } },
        body: { shipmentIds },
      }),
    )
      .then((accepted) => {
        key.settle();
        setPickupId(accepted.id);
        onAccepted?.(shipmentIds);
      })
      .catch((e: unknown) => {
        setError(message(e));
        key.settle(e);
      })
      .finally(() => setBusy(false));
  };

  useEffect(() => {
    if (pickup?.status === 'done') onDone?.(pickup);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- told once, when the booking is done
  }, [pickup?.status]);

  const waiting = pickupId !== undefined && pickup?.status !== 'done';
  const gaveUp = waiting && polls >= POLL_TIMES;
  return (
    <div className="pickup-request">
      {!pickupId && (
        <button
          type="button"
          className="button primary"
          disabled={busy || shipmentIds.length === 0}
          aria-busy={busy}
          onClick={request}
        >
          {busy ? t('form.submitting') : label}
        </button>
      )}
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div role="status" aria-live="polite">
        {waiting && !gaveUp && <p className="notice">{t('kirim.pickupBooking')}</p>}
        {pickup?.status === 'done' && <p className="notice">{t('kirim.pickupDone')}</p>}
      </div>
      {gaveUp && (
        <p>
          {t('kirim.pickupStillBooking')}{' '}
          <button type="button" className="button secondary" onClick={() => setPolls(POLL_TIMES - 1)}>
            {t('kirim.pickupCheckAgain')}
          </button>
        </p>
      )}
      {pickup && (
        <ul className="plain-list pickup-items">
          {pickup.shipments.map((s) => (
            <li key={s.shipmentId} data-testid="pickup-item">
              <Link to={`/pengiriman/${s.shipmentId}`}>
                {references[s.shipmentId] ?? t('kirim.pickupShipmentLink')}
              </Link>{' '}
              · <span className={`status status-${s.status}`}>{code('status', s.status)}</span>
              {s.courier && (
                <span className="sub">
                  {s.service ? serviceOf(s.courier, s.service) : courierName(s.courier)}
                  {s.awb && (
                    <>
                      {' · '}
                      {t('kirim.awb')} <span className="mono">{s.awb}</span>
                    </>
                  )}
                </span>
              )}
              {s.reason && <span className="sub error-text">{code('reason', s.reason)}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
