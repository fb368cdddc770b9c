import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { api, ApiError, call, type Schemas } from '../../api/client';
import { useIdempotencyKey } from '../../api/idempotency-key';
import { Async, LoadingState, useErrorMessage, useLoad } from '../../components/async';
import { Field, FormError, SubmitButton, useApiForm } from '../../components/form';
import { PlaceSuggestions, placeSuggestionsOf } from '../../components/place-suggestions';
import { fieldErrorText } from '../../i18n/api-messages';
import { useI18n } from '../../i18n/i18n-context';
import type { MessageKey } from '../../i18n/id';
import { PickupRequest } from './pickup-request';
import { QuoteComparison } from './quote-comparison';
import { serviceLabel, useServiceLabel } from '../service-names';
import {
  createShipmentBody,
  emptyShipmentFields,
  formFieldOfQuote,
  optionKey,
  quoteRequest,
  type QuoteOption,
  type ShipmentField,
  type ShipmentFields,
} from './shipment-form';

type Address = Schemas['AddressDto'];
type Shipment = Schemas['ShipmentDto'];
type Quote = Schemas['QuoteResponseDto'];

/** How long typing must pause before the quotes are asked again. */
const QUOTE_DEBOUNCE_MS = 400;

type QuoteState =
  | { status: 'idle' }
  | { status: 'loading'; previous?: Quote }
  | { status: 'error'; error: unknown }
  | { status: 'ready'; quote: Quote };

/**
 * The quotes for what is typed, asked ~400 ms after typing pauses once the parcel can be quoted; only the
 * latest request's answer is kept (an older one arriving late is dropped).
 */
function useQuotes(fields: ShipmentFields): QuoteState {
  const [state, setState] = useState<QuoteState>({ status: 'idle' });
  const latest = useRef(0);
  const request = quoteRequest(fields);
  const requestKey = request ? JSON.stringify(request) : '';
  useEffect(() => {
    const asked = (latest.current += 1);
    if (!request) {
      setState({ status: 'idle' });
      return undefined;
    }
    const timer = setTimeout(() => {
      setState((s) => ({ status: 'loading', previous: s.status === 'ready' ? s.quote : undefined }));
      call(api.POST('/v1/quotes', { body: request })).then(
        (quote) => asked === latest.current && setState({ status: 'ready', quote }),
        (error: unknown) => asked === latest.current && setState({ status: 'error', error }),
      );
    }, QUOTE_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the request is what the key says
  }, [requestKey]);
  return state;
}

const TEXT_FIELDS: { name: ShipmentField; label: MessageKey; hint?: MessageKey; optional?: boolean }[][] = [
  [
    { name: 'recipient.name', label: 'kirim.recipientName' },
    { name: 'recipient.phone', label: 'kirim.recipientPhone', hint: 'kirim.recipientPhoneHint' },
  ],
  [{ name: 'recipient.address', label: 'kirim.recipientAddress' }],
  [
    { name: 'recipient.district', label: 'kirim.recipientDistrict', optional: true },
    { name: 'recipient.city', label: 'kirim.recipientCity' },
  ],
  [
    { name: 'recipient.province', label: 'kirim.recipientProvince', hint: 'kirim.recipientProvinceHint' },
    { name: 'recipient.postalCode', label: 'kirim.recipientPostalCode' },
  ],
];

const PARCEL_FIELDS: { name: ShipmentField; label: MessageKey; hint?: MessageKey; optional?: boolean }[] = [
  { name: 'parcel.weightGrams', label: 'kirim.weight', hint: 'kirim.weightHint' },
  { name: 'parcel.lengthCm', label: 'kirim.length', optional: true },
  { name: 'parcel.widthCm', label: 'kirim.width', optional: true },
  { name: 'parcel.heightCm', label: 'kirim.height', optional: true },
  { name: 'parcel.itemValue', label: 'kirim.itemValue', optional: true },
  { name: 'codAmount', label: 'kirim.codAmount', hint: 'kirim.codAmountHint' },
];

const NUMERIC: ReadonlySet<ShipmentField> = new Set([
  'parcel.weightGrams',
  'parcel.lengthCm',
  'parcel.widthCm',
  'parcel.heightCm',
  'parcel.itemValue',
  'codAmount',
  'recipient.postalCode',
]);

function QuotesPanel({
  state,
  chosen,
  onChoose,
}: {
  state: QuoteState;
  chosen?: string;
  onChoose: (key: string | undefined) => void;
}) {
  const { t } = useI18n();
  const message = useErrorMessage();
  const shown =
    state.status === 'ready' ? state.quote : state.status === 'loading' ? state.previous : undefined;
  return (
    <section className="panel quotes-panel" aria-labelledby="quotes-heading">
      <h2 id="quotes-heading">{t('kirim.quotesTitle')}</h2>
      <div aria-live="polite">
        {state.status === 'idle' && <p className="muted">{t('kirim.quotesIdle')}</p>}
        {state.status === 'loading' && <LoadingState />}
        {state.status === 'error' && (
          <p className="form-error" role="alert">
            {t('kirim.quotesFailed')} {message(state.error)}
          </p>
        )}
        {shown && (
          // The place as the directory resolved it, so a seller sees which district was priced.
          <p className="muted">
            {t('kirim.quotesCount', {
              n: shown.options.length,
              place: [shown.destination.district, shown.destination.city, shown.destination.province]
                .filter(Boolean)
                .join(', '),
            })}
          </p>
        )}
      </div>
      {shown && <QuoteComparison options={shown.options} chosen={chosen} onChoose={onChoose} />}
    </section>
  );
}

/** After "Buat pengiriman": what was created, and the pickup step. */
function Created({ shipment, onAnother }: { shipment: Shipment; onAnother: () => void }) {
  const { t, rupiah } = useI18n();
  const serviceOf = useServiceLabel();
  return (
    <section className="panel" aria-labelledby="created-heading">
      <h2 id="created-heading">{t('kirim.createdTitle', { reference: shipment.reference })}</h2>
      <p role="status">
        {t('kirim.createdText', { name: shipment.recipient.name, cod: rupiah(shipment.codAmount) })}
        {shipment.requestedCourier &&
          ` ${t('kirim.createdCourier', {
            service: serviceOf(shipment.requestedCourier.code, shipment.requestedCourier.service),
          })}`}
      </p>
      <PickupRequest
        shipmentIds={[shipment.id]}
        references={{ [shipment.id]: shipment.reference }}
        label={t('kirim.requestPickup')}
      />
      <p className="button-row kirim-actions">
        <Link to={`/pengiriman/${shipment.id}`}>{t('kirim.openShipment')}</Link>
        <button type="button" className="button secondary" onClick={onAnother}>
          {t('kirim.another')}
        </button>
      </p>
    </section>
  );
}

function ShipmentForm({ addresses, onCreated }: { addresses: Address[]; onCreated: (s: Shipment) => void }) {
  const { t, language } = useI18n();
  const [fields, setFields] = useState<ShipmentFields>(() => emptyShipmentFields(addresses[0]?.id));
  const [chosen, setChosen] = useState<string>();
  const key = useIdempotencyKey();
  const quotes = useQuotes(fields);
  // While newer quotes load, the pick stands on the ones on screen.
  const shown =
    quotes.status === 'ready' ? quotes.quote : quotes.status === 'loading' ? quotes.previous : undefined;
  const options: QuoteOption[] = shown?.options ?? [];
  // A pick the latest quotes no longer offer falls back to the recommendation.
  const pick = options.find((o) => o.eligible && optionKey(o) === chosen);
  const form = useApiForm(async () => {
    const body = createShipmentBody(fields, pick ? { code: pick.courier, service: pick.service } : undefined);
    try {
      const created = await call(
        api.POST('/v1/shipments', { params: { header: { 'Idempotency-Key': key.current } }, body }),
      );
      key.settle();
      onCreated(created);
    } catch (e) {
      key.settle(e);
      throw e;
    }
  });
  const quoteErrors =
    quotes.status === 'error' && quotes.error instanceof ApiError
      ? Object.fromEntries(
          quotes.error.details.map((d) => [formFieldOfQuote(d.field), fieldErrorText(language, d.message)]),
        )
      : {};
  const errorOf = (name: ShipmentField) => form.fieldError(name) ?? quoteErrors[name];
  // A place the API could not resolve comes with the districts it may mean: one click fills them in.
  const places = quotes.status === 'error' ? placeSuggestionsOf(quotes.error) : [];
  // A field changed since the API refused it no longer shows the API's word on it.
  const set = (name: ShipmentField) => (e: { target: { value: string } }) => {
    setFields((f) => ({ ...f, [name]: e.target.value }));
    form.clearFieldErrors(name);
  };
  const field = (f: { name: ShipmentField; label: MessageKey; hint?: MessageKey; optional?: boolean }) => (
    <Field
      key={f.name}
      id={`kirim-${f.name.replace('.', '-')}`}
      name={f.name}
      label={f.optional ? t('kirim.optional', { label: t(f.label) }) : t(f.label)}
      hint={f.hint && t(f.hint)}
      error={errorOf(f.name)}
      value={fields[f.name]}
      onChange={set(f.name)}
      inputMode={NUMERIC.has(f.name) ? 'numeric' : undefined}
      autoComplete="off"
    />
  );

  return (
    <form className="kirim-form" onSubmit={form.onSubmit} noValidate>
      <FormError form={form} />
      <section className="panel" aria-labelledby="origin-heading">
        <h2 id="origin-heading">{t('kirim.origin')}</h2>
        <div className={['field', errorOf('originAddressId') && 'field-invalid'].filter(Boolean).join(' ')}>
          <label htmlFor="kirim-origin">{t('kirim.originAddress')}</label>
          <select
            id="kirim-origin"
            name="originAddressId"
            value={fields.originAddressId}
            onChange={set('originAddressId')}
            aria-invalid={errorOf('originAddressId') ? true : undefined}
            aria-describedby={errorOf('originAddressId') ? 'kirim-origin-error' : undefined}
          >
            {addresses.map((a) => (
              <option key={a.id} value={a.id}>
                {a.label} — {a.address}, {a.city}
              </option>
            ))}
          </select>
          {errorOf('originAddressId') && (
            <p className="field-error" id="kirim-origin-error">
              {errorOf('originAddressId')}
            </p>
          )}
        </div>
        {field({ name: 'reference', label: 'kirim.reference', hint: 'kirim.referenceHint' })}
      </section>
      <section className="panel" aria-labelledby="recipient-heading">
        <h2 id="recipient-heading">{t('kirim.recipient')}</h2>
        {TEXT_FIELDS.map((row, i) => (
          <div key={i} className="form-grid">
            {row.map(field)}
          </div>
        ))}
        <PlaceSuggestions
          places={places}
          onPick={(p) => {
            setFields((f) => ({
              ...f,
              'recipient.district': p.district,
              'recipient.city': p.regency,
              'recipient.province': p.province,
            }));
            form.clearFieldErrors('recipient.district', 'recipient.city', 'recipient.province');
          }}
        />
      </section>
      <section className="panel" aria-labelledby="parcel-heading">
        <h2 id="parcel-heading">{t('kirim.parcel')}</h2>
        <div className="parcel-grid">{PARCEL_FIELDS.map(field)}</div>
        {field({ name: 'parcel.description', label: 'kirim.description', optional: true })}
      </section>
      <QuotesPanel state={quotes} chosen={pick ? chosen : undefined} onChoose={setChosen} />
      <div className="button-row kirim-actions">
        <SubmitButton form={form}>{t('kirim.create')}</SubmitButton>
        <p className="muted">
          {pick ? t('kirim.willUse', { service: serviceLabel(pick) }) : t('kirim.willRecommend')}
        </p>
      </div>
    </form>
  );
}

/**
 * Kirim paket: the origin (GET /v1/addresses), the recipient, parcel and COD amount; the courier services
 * compared as the seller types (POST /v1/quotes); "Buat pengiriman" (POST /v1/shipments), then "Minta
 * pickup" (POST /v1/pickups) with the booking's courier and airway bill.
 */
export function KirimPage() {
  const { t } = useI18n();
  const addresses = useLoad(() => call(api.GET('/v1/addresses', { params: { query: { limit: 100 } } })), []);
  const [created, setCreated] = useState<Shipment>();
  const [round, setRound] = useState(0);
  return (
    <>
      <h1>{t('kirim.title')}</h1>
      <p>
        {t('kirim.bulkIntro')} <Link to="/kirim/massal">{t('kirim.bulkLink')}</Link>
      </p>
      {created ? (
        <Created
          shipment={created}
          onAnother={() => {
            setCreated(undefined);
            setRound((n) => n + 1);
          }}
        />
      ) : (
        <Async
          loaded={addresses}
          isEmpty={(page) => page.items.length === 0}
          empty={
            <>
              {t('kirim.noAddress')} <Link to="/pengaturan">{t('kirim.addAddress')}</Link>
            </>
          }
        >
          {(page) => <ShipmentForm key={round} addresses={page.items} onCreated={setCreated} />}
        </Async>
      )}
    </>
  );
}
