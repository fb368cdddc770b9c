import { useRef, useState } from 'react';
import { api, call, type Schemas } from '../../api/client';
import { idempotencyKey } from '../../api/idempotency-key';
import type { PlaceSuggestion } from '../../api/errors';
import { Async, useLoad } from '../../components/async';
import { Field, FormError, formText, SubmitButton, useApiForm } from '../../components/form';
import { PlaceSuggestions, placeSuggestionsOf } from '../../components/place-suggestions';
import { ConfirmButton } from '../../components/confirm-button';
import { useI18n } from '../../i18n/i18n-context';
import type { MessageKey } from '../../i18n/id';
import { OutcomeNotice, SettingsSection, useAction } from './shared';

type Address = Schemas['AddressDto'];
type AddressBody = Schemas['CreateAddressDto'];

const FIELDS: { name: keyof AddressBody; label: MessageKey; hint?: MessageKey; autoComplete?: string }[] = [
  { name: 'label', label: 'pengaturan.address.label', hint: 'pengaturan.address.labelHint' },
  { name: 'contactName', label: 'pengaturan.address.contactName', autoComplete: 'name' },
  {
    name: 'phone',
    label: 'pengaturan.address.phone',
    hint: 'pengaturan.address.phoneHint',
    autoComplete: 'tel',
  },
  { name: 'address', label: 'pengaturan.address.street', autoComplete: 'street-address' },
  { name: 'district', label: 'pengaturan.address.district' },
  { name: 'city', label: 'pengaturan.address.city', autoComplete: 'address-level2' },
  { name: 'province', label: 'pengaturan.address.province', autoComplete: 'address-level1' },
  { name: 'postalCode', label: 'pengaturan.address.postalCode', autoComplete: 'postal-code' },
];

/** The fields a place suggestion fills in. */
type PlaceField = 'district' | 'city' | 'province';

const bodyFrom = (data: FormData): AddressBody =>
  Object.fromEntries(FIELDS.map((f) => [f.name, formText(data, f.name)])) as AddressBody;

/**
 * The address form, empty to add one or filled to change one; the API's refusal shown by each field, and
 * for a place it could not resolve the districts it may mean, as on the Kirim form: one click fills them in.
 */
function AddressForm({
  address,
  submitLabel,
  onSaved,
  onCancel,
}: {
  address?: Address;
  submitLabel: string;
  onSaved: () => void;
  onCancel?: () => void;
}) {
  const { t } = useI18n();
  const [key] = useState(idempotencyKey);
  const [place, setPlace] = useState<Record<PlaceField, string>>({
    district: address?.district ?? '',
    city: address?.city ?? '',
    province: address?.province ?? '',
  });
  const [places, setPlaces] = useState<PlaceSuggestion[]>([]);
  const formRef = useRef<HTMLFormElement>(null);
  const form = useApiForm(async (data) => {
    const body = bodyFrom(data);
    setPlaces([]);
    try {
      if (address)
        await call(api.PATCH('/v1/addresses/{id}', { params: { path: { id: address.id } }, body }));
      else await call(api.POST('/v1/addresses', { params: { header: { 'Idempotency-Key': key } }, body }));
    } catch (e) {
      setPlaces(placeSuggestionsOf(e));
      throw e;
    }
    onSaved();
  });
  const pick = (p: PlaceSuggestion) => {
    setPlace({ district: p.district, city: p.regency, province: p.province });
    setPlaces([]);
    form.clearFieldErrors('district', 'city', 'province');
    // The pressed suggestion is gone: the keyboard goes on to saving the corrected address.
    requestAnimationFrame(() =>
      formRef.current?.querySelector<HTMLButtonElement>('button[type=submit]')?.focus(),
    );
  };
  const isPlace = (name: string): name is PlaceField => name in place;
  return (
    <form ref={formRef} onSubmit={form.onSubmit} noValidate>
      <FormError form={form} />
      <div className="form-grid">
        {FIELDS.map((f) => (
          <Field
            key={f.name}
            name={f.name}
            label={t(f.label)}
            hint={f.hint && t(f.hint)}
            error={form.fieldError(f.name)}
            {...(isPlace(f.name)
              ? {
                  value: place[f.name],
                  onChange: (e: { target: { value: string } }) =>
                    setPlace((p) => ({ ...p, [f.name]: e.target.value })),
                }
              : { defaultValue: address?.[f.name] })}
            autoComplete={f.autoComplete}
            inputMode={f.name === 'phone' ? 'tel' : f.name === 'postalCode' ? 'numeric' : undefined}
            required
          />
        ))}
      </div>
      <PlaceSuggestions places={places} onPick={pick} />
      <div className="button-row">
        <SubmitButton form={form}>{submitLabel}</SubmitButton>
        {onCancel && (
          <button type="button" className="button secondary" onClick={onCancel}>
            {t('pengaturan.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

/** Pickup addresses: list (GET /v1/addresses), add, change (PATCH) and delete after a confirmation. */
export function AlamatSection() {
  const { t } = useI18n();
  const addresses = useLoad(() => call(api.GET('/v1/addresses', { params: { query: { limit: 500 } } })), []);
  const [editing, setEditing] = useState<string>();
  const [adding, setAdding] = useState(false);
  const action = useAction();
  return (
    <SettingsSection id="alamat" title={t('pengaturan.address.title')}>
      <OutcomeNotice outcome={action.outcome} />
      <Async
        loaded={addresses}
        isEmpty={(page) => page.items.length === 0}
        empty={t('pengaturan.address.empty')}
      >
        {(page) => (
          <ul className="plain-list">
            {page.items.map((a) => (
              <li key={a.id} data-testid="address-item">
                {editing === a.id ? (
                  <AddressForm
                    address={a}
                    submitLabel={t('pengaturan.save')}
                    onSaved={() => {
                      setEditing(undefined);
                      addresses.reload();
                    }}
                    onCancel={() => setEditing(undefined)}
                  />
                ) : (
                  <div className="item-row">
                    <address>
                      <strong>{a.label}</strong>
                      <br />
                      {a.contactName} · <span className="mono">{a.phone}</span>
                      <br />
                      {a.address}, {a.district}, {a.city}, {a.province} {a.postalCode}
                    </address>
                    <div className="button-row">
                      <button type="button" className="button secondary" onClick={() => setEditing(a.id)}>
                        {t('pengaturan.edit')}
                      </button>
                      <ConfirmButton
                        label={t('pengaturan.delete')}
                        question={t('pengaturan.address.confirmDelete', { label: a.label })}
                        confirmLabel={t('pengaturan.confirmDelete')}
                        busy={action.busy === a.id}
                        onConfirm={() =>
                          action.run(
                            a.id,
                            async () => {
                              await call(
                                api.DELETE('/v1/addresses/{id}', { params: { path: { id: a.id } } }),
                              );
                              addresses.reload();
                            },
                            t('pengaturan.address.deleted', { label: a.label }),
                          )
                        }
                      />
                    </div>
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
      </Async>
      {adding ? (
        <>
          <h3>{t('pengaturan.address.add')}</h3>
          <AddressForm
            submitLabel={t('pengaturan.address.addSubmit')}
            onSaved={() => {
              setAdding(false);
              addresses.reload();
            }}
            onCancel={() => setAdding(false)}
          />
        </>
      ) : (
        <button type="button" className="button primary" onClick={() => setAdding(true)}>
          {t('pengaturan.address.add')}
        </button>
      )}
    </SettingsSection>
  );
}
