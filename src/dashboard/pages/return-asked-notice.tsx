import { useI18n } from '../i18n/i18n-context';

/**
 * Says the seller asked for the parcel back (`returnAskedAt`), when: the API then refuses a hold, a
 * re-attempt or an address correction, so none is offered, even before a poll shows the parcel returning.
 * When the courier never answered that return (`returnUnconfirmed`), says so and why asking again is safe:
 * the return is offered again. On the shipment's page and on its alerts.
 */
export function ReturnAskedNotice({ at, unconfirmed = false }: { at: string; unconfirmed?: boolean }) {
  const { t, dateTime } = useI18n();
  return (
    <p className="notice" data-testid="return-asked">
      {t(unconfirmed ? 'detail.returnAskedUnconfirmed' : 'detail.returnAsked', { when: dateTime(at) })}
    </p>
  );
}
