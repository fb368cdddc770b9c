import { useId, useState } from 'react';
import { api, call, type Schemas } from '../../api/client';
import { idempotencyKey } from '../../api/idempotency-key';
import { Async, useLoad } from '../../components/async';
import { Field, FormError, formText, SubmitButton, useApiForm } from '../../components/form';
import { ConfirmButton } from '../../components/confirm-button';
import { useI18n } from '../../i18n/i18n-context';
import { OutcomeNotice, OwnerOnly, SettingsSection, useAction } from './shared';

type BankCode = Schemas['CreateBankAccountDto']['bankCode'];

/** The banks the API accepts (its `bankCode` enum; the type check below fails when one is missing). */
export const BANK_CODES = [
  'BCA',
  'BNI',
  'BRI',
  'MANDIRI',
  'BSI',
  'BTN',
  'CIMB',
  'PERMATA',
  'DANAMON',
  'OCBC',
  'MAYBANK',
  'PANIN',
  'MEGA',
  'BJB',
  'BTPN',
  'JAGO',
  'SEABANK',
  'BLU',
  'SINARMAS',
  'BUKOPIN',
] as const satisfies readonly BankCode[];
export const BANK_CODES_COMPLETE: [Exclude<BankCode, (typeof BANK_CODES)[number]>] extends [never]
  ? true
  : false = true;

function AddBankAccount({ onAdded }: { onAdded: () => void }) {
  const { t } = useI18n();
  const bankId = useId();
  const [key, setKey] = useState(idempotencyKey);
  const form = useApiForm(async (data) => {
    await call(
      api.POST('/v1/bank-accounts', {
        params: { header: { 'Idempotency-Key': key } },
        body: {
          bankCode: formText(data, 'bankCode') as BankCode,
          accountNumber: formText(data, 'accountNumber'),
          accountName: formText(data, 'accountName'),
        },
      }),
    );
    setKey(idempotencyKey());
    onAdded();
  });
  const bankError = form.fieldError('bankCode');
  return (
    <form onSubmit={form.onSubmit} noValidate key={key}>
      <FormError form={form} />
      <div className="form-grid">
        <div className={bankError ? 'field field-invalid' : 'field'}>
          <label htmlFor={bankId}>{t('pengaturan.bank.bank')}</label>
          <select
            id={bankId}
            name="bankCode"
            defaultValue="BCA"
            aria-invalid={bankError ? true : undefined}
            aria-describedby={bankError ? `${bankId}-error` : undefined}
          >
            {BANK_CODES.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
          {bankError && (
            <p className="field-error" id={`${bankId}-error`}>
              {bankError}
            </p>
          )}
        </div>
        <Field
          name="accountNumber"
          label={t('pengaturan.bank.number')}
          hint={t('pengaturan.bank.numberHint')}
          inputMode="numeric"
          autoComplete="off"
          error={form.fieldError('accountNumber')}
          required
        />
        <Field
          name="accountName"
          label={t('pengaturan.bank.name')}
          hint={t('pengaturan.bank.nameHint')}
          error={form.fieldError('accountName')}
          required
        />
      </div>
      <div className="button-row">
        <SubmitButton form={form}>{t('pengaturan.bank.add')}</SubmitButton>
      </div>
    </form>
  );
}

/** The owner's bank accounts: masked numbers as the API gives them, add, delete after a confirmation. */
function BankAccounts() {
  const { t, date } = useI18n();
  const accounts = useLoad(
    () => call(api.GET('/v1/bank-accounts', { params: { query: { limit: 500 } } })),
    [],
  );
  const action = useAction();
  return (
    <>
      <OutcomeNotice outcome={action.outcome} />
      <Async loaded={accounts} isEmpty={(page) => page.items.length === 0} empty={t('pengaturan.bank.empty')}>
        {(page) => (
          <ul className="plain-list">
            {page.items.map((b) => (
              <li key={b.id} className="item-row" data-testid="bank-account">
                <p>
                  <strong>{b.bankCode}</strong> <span className="mono">{b.accountNumber}</span>
                  <span className="sub">
                    {b.accountName} · {t('pengaturan.addedOn', { date: date(b.createdAt) })}
                  </span>
                </p>
                <ConfirmButton
                  label={t('pengaturan.delete')}
                  question={t('pengaturan.bank.confirmDelete', { number: b.accountNumber })}
                  confirmLabel={t('pengaturan.confirmDelete')}
                  busy={action.busy === b.id}
                  onConfirm={() =>
                    action.run(
                      b.id,
                      async () => {
                        await call(api.DELETE('/v1/bank-accounts/{id}', { params: { path: { id: b.id } } }));
                        accounts.reload();
                      },
                      t('pengaturan.bank.deleted'),
                    )
                  }
                />
              </li>
            ))}
          </ul>
        )}
      </Async>
      <h3>{t('pengaturan.bank.add')}</h3>
      <AddBankAccount onAdded={accounts.reload} />
    </>
  );
}

/** Bank accounts for withdrawals: the API lets only the owner see or change them; staff get a note. */
export function RekeningSection({ owner }: { owner: boolean }) {
  const { t } = useI18n();
  return (
    <SettingsSection id="rekening" title={t('pengaturan.bank.title')}>
      {owner ? <BankAccounts /> : <OwnerOnly />}
    </SettingsSection>
  );
}
