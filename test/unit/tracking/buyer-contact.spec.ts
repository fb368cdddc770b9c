import fc from 'fast-check';
import { COURIER_REASONS } from 'src/couriers/courier-adapter';
import {
  buyerMessage,
  cleanText,
  formatRupiah,
  whatsappUrl,
  type BuyerContact,
} from 'src/tracking/buyer-contact';

const budi: BuyerContact = {
  recipientName: 'Budi',
  recipientPhone: '+6281298765432',
  reference: 'INV-123',
  courierName: 'J&T Express',
  reason: 'consignee_absent',
  codAmount: 150_000,
};

const textOf = (url: string) => decodeURIComponent(new URL(url).searchParams.get('text') ?? '');

describe('the WhatsApp link to the buyer', () => {
  it('opens a chat with the buyer’s E.164 digits and a polite Indonesian message', () => {
    const url = whatsappUrl(budi)!;
    expect(url.startsWith('https://wa.me/6281298765432?text=')).toBe(true);
    expect(new URL(url).searchParams.get('text')).toBe(
      'Halo Kak Budi, pesanan #INV-123 Anda (J&T Express) gagal diantar karena penerima tidak di tempat. ' +
        'Kapan Kakak bisa menerima paketnya agar kami minta kurir mengantar ulang? Terima kasih.',
    );
    // Everything after ?text= is percent-encoded: no raw space, '&' or '#' can cut the message short.
    expect(url.split('?text=')[1]).not.toMatch(/[ &#]/);
  });

  it('has one sentence for every courier reason and the rules’ own, naming the order and courier', () => {
    const messages = [...COURIER_REASONS, 'risky_recipient', 'rebooked_parcel_scanned'].map((reason) =>
      buyerMessage({ ...budi, reason }),
    );
    for (const m of messages) {
      expect(m).toMatch(/^Halo Kak Budi, pesanan #INV-123 Anda \(J&T Express\) \S.* Terima kasih\.$/);
      expect(m).not.toContain('{');
    }
    // The parcel maybe with a courier of an earlier booking: the buyer is asked whether it arrived.
    expect(buyerMessage({ ...budi, reason: 'rebooked_parcel_scanned' })).toContain(
      'mungkin dibawa kurir lain dari yang tercatat. Mohon kabari kami jika paketnya sudah Kakak terima.',
    );
    // A reason with no sentence of its own (lost, weight_changed) still gets a polite question.
    expect(buyerMessage({ ...budi, reason: 'something_new' })).toContain('memerlukan konfirmasi');
    const distinct = new Set(
      [
        'consignee_absent',
        'consignee_unreachable',
        'consignee_refused',
        'consignee_refused_no_money',
        'consignee_refused_did_not_order',
        'address_problem',
        'rts_initiated',
        'stale_no_scan',
        'late_vs_sla',
        'held_at_hub',
        'misroute',
        'pickup_failed',
        'risky_recipient',
        'rebooked_parcel_scanned',
      ].map((reason) => buyerMessage({ ...budi, reason })),
    );
    expect(distinct.size).toBe(14);
  });

  it('names the COD amount where the buyer must have it ready', () => {
    expect(buyerMessage({ ...budi, reason: 'consignee_refused_no_money' })).toContain(
      'Kapan Kakak siap menerima dan membayar paketnya (Rp 150.000)?',
    );
    expect(buyerMessage({ ...budi, reason: 'risky_recipient' })).toContain(
      'serta pembayaran COD Rp 150.000 siap saat paket tiba.',
    );
    expect(buyerMessage({ ...budi, reason: 'risky_recipient', codAmount: 0 })).not.toContain('COD');
    expect(buyerMessage({ ...budi, reason: 'consignee_refused_no_money', codAmount: undefined })).toContain(
      'membayar paketnya?',
    );
  });

  it('reads well without a name or a courier', () => {
    expect(buyerMessage({ ...budi, recipientName: ' \u0000 ', courierName: null })).toMatch(
      /^Halo Kak, pesanan #INV-123 Anda gagal diantar/,
    );
  });

  it('cleans any recipient name: trimmed, one line, no control or bidi characters, at most 40 characters', () => {
    expect(buyerMessage({ ...budi, recipientName: '  Siti\n\u202eAminah\u0007  ' })).toMatch(
      /^Halo Kak Siti Aminah, /,
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (name) => {
        const url = whatsappUrl({ ...budi, recipientName: name })!;
        const text = textOf(url);
        expect(text).not.toMatch(/[\p{Cc}\p{Cf}\u2028\u2029]/u);
        expect(text).toMatch(/^Halo Kak/);
        expect(text).toContain(', pesanan #INV-123 Anda (J&T Express) gagal diantar');
        const greeted = text.slice('Halo Kak'.length, text.indexOf(', pesanan #INV-123'));
        expect([...greeted.trim()].length).toBeLessThanOrEqual(40);
      }),
    );
  });

  it('has no link for a phone that is not E.164', () => {
    for (const phone of ['081298765432', '', '+62 812 9876 5432', '+0812345678', 'x'])
      expect(whatsappUrl({ ...budi, recipientPhone: phone })).toBeNull();
  });
});

describe('helpers', () => {
  it('formats rupiah the Indonesian way', () => {
    expect([0, 500, 1000, 150_000, 1_234_567].map(formatRupiah)).toEqual([
      'Rp 0',
      'Rp 500',
      'Rp 1.000',
      'Rp 150.000',
      'Rp 1.234.567',
    ]);
  });

  it('cuts text at characters, never inside one', () => {
    expect(cleanText('😀'.repeat(50), 40)).toBe('😀'.repeat(40));
    expect(cleanText(' a \t b ', 10)).toBe('a b');
  });
});
