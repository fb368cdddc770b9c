import { en } from 'src/dashboard/i18n/en';
import { id } from 'src/dashboard/i18n/id';
import { initialLanguage, translate, translateCode } from 'src/dashboard/i18n/translate';
import { RISK_RULES } from 'src/tracking/risk-rules';
import { SHIPMENT_OWN_REASONS } from 'src/shipments/shipment-reasons';
import { SHIPMENT_STATUSES } from 'src/shipments/shipment-status';
import { COURIER_REASONS, COURIER_STATUSES } from 'src/couriers/courier-adapter';
import { POSTING_TYPES, SELLER_ACCOUNT_KINDS } from 'src/ledger/ledger-accounts';
import { SHIPMENT_ACTION_ERROR_KINDS } from 'src/tracking/shipment-action.entity';

describe('the dashboard speaks Bahasa Indonesia by default, English on request', () => {
  it('starts in Indonesian unless English was chosen and remembered', () => {
    expect(initialLanguage(null)).toBe('id');
    expect(initialLanguage(undefined)).toBe('id');
    expect(initialLanguage('fr')).toBe('id');
    expect(initialLanguage('')).toBe('id');
    expect(initialLanguage('en')).toBe('en');
    expect(initialLanguage('id')).toBe('id');
  });

  it('has every message in both languages, none empty, with the same {marks}', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(id).sort());
    const marks = (text: string) => (text.match(/\{\w+\}/g) ?? []).sort();
    for (const key of Object.keys(id) as (keyof typeof id)[]) {
      expect([key, id[key].trim().length > 0, en[key].trim().length > 0]).toEqual([key, true, true]);
      expect([key, marks(en[key])]).toEqual([key, marks(id[key])]);
    }
  });

  it('fills marks from the values and leaves a mark without a value visible', () => {
    expect(translate('id', 'auth.signedInAs', { email: 'a@toko.id' })).toBe('Masuk sebagai a@toko.id');
    expect(translate('en', 'auth.signedInAs', { email: 'a@toko.id' })).toBe('Signed in as a@toko.id');
    expect(translate('en', 'auth.signedInAs')).toBe('Signed in as {email}');
    expect(translate('id', 'beranda.shipmentsWindow', { from: '1 Jan', to: '31 Jan' })).toBe(
      '1 Jan – 31 Jan',
    );
  });

  it('names every shipment status and alert rule the API sends, and shows an unknown code as it is', () => {
    for (const status of SHIPMENT_STATUSES) {
      expect(translateCode('id', 'status', status)).not.toBe(status);
      expect(translateCode('en', 'status', status)).not.toBe(status);
    }
    // A courier event's normalized status (the shipment's page timeline) uses the same messages.
    for (const status of COURIER_STATUSES) {
      expect(translateCode('id', 'status', status)).not.toBe(status);
      expect(translateCode('en', 'status', status)).not.toBe(status);
    }
    for (const rule of RISK_RULES) expect(translateCode('id', 'rule', rule)).not.toBe(rule);
    expect(translateCode('id', 'status', 'teleported')).toBe('teleported');
    expect(translateCode('en', 'status', 'delivered')).toBe('Delivered');
    expect(translateCode('id', 'status', 'delivered')).toBe('Terkirim');
  });

  it('names every kind of ledger posting and seller account a seller’s statement can show', () => {
    for (const language of ['id', 'en'] as const) {
      for (const type of POSTING_TYPES) expect(translateCode(language, 'saldo.type', type)).not.toBe(type);
      for (const kind of SELLER_ACCOUNT_KINDS)
        expect(translateCode(language, 'saldo.account', kind)).not.toBe(kind);
    }
    expect(translateCode('id', 'saldo.type', 'cod_credit_reversed')).toBe(
      'Dana COD dibatalkan (kurir tidak menerima uang)',
    );
  });

  it('says why a shipment stopped (a courier’s reason, or why its booking failed) and why a payout failed', () => {
    const reasons = [...COURIER_REASONS, ...SHIPMENT_OWN_REASONS];
    // What Kirim writes of a failed payout itself, and what the sandbox provider answers.
    const payoutFailures = [
      ...['timed_out', 'bounced', 'bank_account_removed', 'TRANSFER_ERROR'],
      ...['INVALID_DESTINATION', 'REJECTED_BY_BANK'],
    ];
    for (const language of ['id', 'en'] as const) {
      for (const reason of reasons)
        expect([reason, translateCode(language, 'reason', reason)]).not.toEqual([reason, reason]);
      for (const code of payoutFailures)
        expect([code, translateCode(language, 'payoutFailure', code)]).not.toEqual([code, code]);
    }
    expect(translateCode('id', 'payoutFailure', 'NEW_PROVIDER_CODE')).toBe('NEW_PROVIDER_CODE');
  });

  it('says in the seller’s language why a courier action failed, for every kind the API sends', () => {
    for (const language of ['id', 'en'] as const)
      for (const kind of SHIPMENT_ACTION_ERROR_KINDS)
        expect([kind, translateCode(language, 'actionError', kind)]).not.toEqual([kind, kind]);
    expect(translateCode('id', 'actionError', 'answer_lost')).toBe(
      'Jawaban kurir tidak sampai; mungkin permintaan ini sudah diterimanya. Periksa pengiriman sebelum meminta lagi.',
    );
  });
});
