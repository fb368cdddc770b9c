import { api, call, type Schemas } from '../api/client';
import { idempotencyKey } from '../api/idempotency-key';
import { useI18n } from '../i18n/i18n-context';

/**
 * Asks for a seller action on a shipment (POST /v1/shipments/{id}/actions), each press its own
 * Idempotency-Key, and answers with what the page says of it ("Permintaan Antar ulang dicatat: …"; for a
 * re-attempt `releasing` the seller's hold, that the hold was released). Throws the API's ApiError (a 422
 * where the status does not allow it).
 */
export function useShipmentAction(): (
  shipmentId: string,
  body: Schemas['CreateShipmentActionDto'],
  how?: { releasing?: boolean },
) => Promise<string> {
  const { t, code } = useI18n();
  return async (shipmentId, body, how = {}) => {
    const sent = await call(
      api.POST('/v1/shipments/{id}/actions', {
        params: { path: { id: shipmentId }, header: { 'Idempotency-Key': idempotencyKey() } },
        body,
      }),
    );
    if (how.releasing && sent.action === 'reattempt' && sent.status === 'sent')
      return t('detail.releaseSent');
    if (how.releasing && sent.action === 'reattempt' && sent.status === 'manual')
      return t('detail.releaseManual');
    return t('detail.actionSent', {
      action: code('action', sent.action),
      status: code('actionStatus', sent.status),
    });
  };
}
