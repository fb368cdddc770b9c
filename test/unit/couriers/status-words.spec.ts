import type { CourierReason, CourierStatus } from 'src/couriers/courier-adapter';
import { classifyStatusWords, normalizeWords, reasonOfWords } from 'src/couriers/status-words';

type Expected = [status: CourierStatus | null, reason?: CourierReason];

/**
 * History lines as couriers write them (Indonesian and English, upper and lower case, with brackets and
 * courier names), and what a person reading them understands. Lines quoted from the samples in
 * ../shared/couriers/samples are marked; the others are written the way those are.
 */
const LINES: [string, Expected][] = [
  // Deliveries, and the receipts that are not one.
  ['DELIVERED TO [MASKED RECEIVER | 06-11-2020 11:00 | AMBON ]', ['delivered']], // jne-tracking-1
  ['Paket telah diterima', ['delivered']], // jnt-tracking-1 (200)
  ['PAKET TELAH DITERIMA OLEH YANG BERSANGKUTAN', ['delivered']],
  ['Paket Telah Diterima Oleh [SAPX SANDBOX RECEIVER] [ KET : PENERIMA LANGSUNG]', ['delivered']], // sap-tracking-1
  ['Diterima oleh Ibu Sari (keluarga)', ['delivered']],
  ['paket sudah di terima penerima', ['delivered']],
  ['Delivered, Left at Doorstep', ['delivered']],
  ['POD scan', ['delivered']],
  ['Successful Delivery', ['delivered']],
  ['SHIPMENT DAMAGE RECEIVED', ['delivered', 'damaged']],
  ['Paket diterima dalam kondisi rusak', ['delivered', 'damaged']],
  ['BELUM DITERIMA', [null]],
  ['Paket belum diterima penerima', [null]],
  ['NOT DELIVERED', [null]],
  ['Paket telah diterima oleh DC_PULO_GADUNG', ['in_transit']], // jnt-tracking-1 (100)
  ['DITERIMA DI GUDANG JAKARTA', ['in_transit']],
  ['Paket diterima di Hub Cakung', ['in_transit']],
  ['DITERIMA DI SORTING CENTER BANDUNG', ['in_transit']],
  ['RECEIVED AT WAREHOUSE   [AMQ, OPR INBOUND]', ['in_transit']], // jne-tracking-1
  ['RECEIVED AT SORTING CENTER  [PALANGKARAYA]', ['in_transit']], // jne-tracking-1
  ['Received On Destination', ['in_transit']], // jne-tracking-5
  ['DATA PESANAN TELAH DITERIMA', ['created']],
  // Failed attempts and their reasons.
  ['GAGAL DIKIRIM', ['delivery_failed', 'attempt_failed']],
  ['Paket gagal diantar, penerima tidak di tempat', ['delivery_failed', 'consignee_absent']],
  ['UNDELIVERED [ALAMAT TIDAK LENGKAP] [JAKARTA PUSAT]', ['delivery_failed', 'address_problem']],
  ['ALAMAT TIDAK DITEMUKAN', ['delivery_failed', 'address_problem']],
  ['PENERIMA TIDAK DI TEMPAT', ['delivery_failed', 'consignee_absent']],
  ['Pelanggan tidak di tempat', ['delivery_failed', 'consignee_absent']], // idexpress-tracking-1
  ['RUMAH /KANTOR KOSONG (MASIH DIHUNI)', ['delivery_failed', 'consignee_absent']], // jne-statuscodes-1 U05
  ['PENERIMA MENOLAK', ['delivery_failed', 'consignee_refused']],
  ['DITOLAK OLEH PENERIMA (NON COD)', ['delivery_failed', 'consignee_refused']], // jne-statuscodes-1 U06
  ['PENERIMA MENOLAK BAYAR (KIRIMAN COD)', ['delivery_failed', 'consignee_refused_no_money']], // U08
  ['Penerima menolak, tidak ada uang', ['delivery_failed', 'consignee_refused_no_money']],
  [
    'PENERIMA MENOLAK MENERIMA KIRIMAN COD (TDK PESAN)',
    ['delivery_failed', 'consignee_refused_did_not_order'],
  ], // U21
  ['Customer refused - did not order', ['delivery_failed', 'consignee_refused_did_not_order']],
  ['PENERIMA TIDAK DAPAT DIHUBUNGI', ['delivery_failed', 'consignee_unreachable']],
  ['Nomor telepon penerima tidak aktif', ['delivery_failed', 'consignee_unreachable']],
  ['First Attempt Delivery Fail', ['delivery_failed', 'attempt_failed']],
  ['ANTAR ULANG BESOK', ['delivery_failed', 'attempt_failed']],
  ['Delivery Exception, Pending Reschedule', ['delivery_failed', 'attempt_failed']],
  ['NOT TIME DELIVERY', ['delivery_failed', 'attempt_failed']], // jne-statuscodes-1 NT
  // Returns.
  ['RETUR', ['returning_to_sender', 'rts_initiated']],
  ['Paket akan diretur ke pengirim', ['returning_to_sender', 'rts_initiated']],
  ['RETURN TO SHIPPER PROCESS [JAKARTA]', ['returning_to_sender', 'rts_initiated']],
  ['Paket dikembalikan ke pengirim', ['returning_to_sender', 'rts_initiated']],
  ['Return to Sender Triggered', ['returning_to_sender', 'rts_initiated']],
  ['RETUR DITERIMA DI GUDANG SURABAYA', ['returning_to_sender', 'rts_initiated']],
  ['Gagal kirim, paket diretur', ['returning_to_sender', 'rts_initiated']],
  ['RETUR DITERIMA PENGIRIM', ['returned']],
  ['Paket retur telah diterima oleh pengirim', ['returned']],
  // Back with the sender without the word "retur": the parcel never reached the buyer.
  ['Paket telah diterima oleh pengirim', ['returned']],
  ['Paket sudah diterima kembali oleh penjual', ['returned']],
  ['Received by shipper', ['returned']],
  // A buyer that is a shop, a client or a merchant's staff is still the buyer: delivered, the cash taken.
  ['Paket telah diterima oleh TOKO SINAR JAYA', ['delivered']],
  ['Paket telah diterima oleh Toko Bu Ani', ['delivered']],
  ['DITERIMA OLEH KLIEN', ['delivered']],
  ['Received by merchant staff', ['delivered']],
  ['Returned to Sender', ['returned']],
  ['returned to shipper', ['returned']],
  ['Return POD Scan', ['returned']],
  // Movements.
  ['Paket akan dikirimkan ke JAT_GATEWAY', ['in_transit']], // jnt-tracking-1
  ['Paket telah sampai di DC_KEMAYORAN', ['in_transit']], // jnt-tracking-1
  ['PROCESSED AT SORTING CENTER  [PKY, AGEN PANGKALAN BUN]', ['in_transit']], // jne-tracking-1
  ['DEPARTED FROM TRANSIT  [GATEWAY , JAKARTA]', ['in_transit']], // jne-tracking-1
  ['SHIPMENT FORWARDED FROM TRANSIT CITY TO DESTINATION CITY [AMQ, OPR TRANSIT DAERAH]', ['in_transit']],
  ['Keluar Dari KANTOR CABANG MOJOKERTO', [null]],
  ['Sampai Di KANTOR CABANG MOJOKERTO', ['in_transit']], // sap-tracking-1 rowstate_web
  ['Unpacking scan', ['in_transit']], // idexpress-tracking-1
  ['Arrived at Sorting Hub', ['in_transit']], // ninja-webhook-2
  ['Manifested', ['in_transit']], // jne-tracking-5
  // Out for delivery.
  ['Paket akan dikirim ke alamat penerima', ['out_for_delivery']], // jnt-tracking-1
  ['WITH DELIVERY COURIER  [BANDUNG]', ['out_for_delivery']], // jne-tracking-3
  ['Paket Diantar Kurir By SUNARTO', ['out_for_delivery']], // sap-tracking-1 rowstate_web
  // J&T calls its delivery courier a "sprinter": handed to one, the parcel is on its way to the door.
  ['Paket telah diterima oleh Sprinter', ['out_for_delivery']],
  ['Paket dibawa sprinter', ['out_for_delivery']],
  ['Paket sedang dibawa kurir', ['out_for_delivery']],
  ['Kurir sedang antar paket ke alamat', ['out_for_delivery']],
  ['Delivery scan', ['out_for_delivery']], // idexpress-tracking-1
  ['DELIVERY ', ['out_for_delivery']], // sap-tracking-1 rowstate_name
  ['PAKET SUDAH DI POP BOX', ['out_for_delivery']], // jne-statuscodes-1 DB1
  // Pickup.
  ['PICKED UP BY COURIER [CIANJUR, CIANJUR]', ['picked_up']], // jne-tracking-3
  ['SHIPMENT RECEIVED BY JNE COUNTER OFFICER AT  [PANGKALANBUN]', ['picked_up']], // jne-tracking-1
  ['Paket Telah Dipick Up', ['picked_up']], // sap-tracking-1 rowstate_web
  ['pick up scan', ['picked_up']], // idexpress-tracking-3
  ['Paket sudah dijemput kurir', ['picked_up']],
  // Received from the sender is the pickup, not a delivery.
  ['Paket telah diterima dari pengirim', ['picked_up']],
  ['Shipment received from shipper', ['picked_up']],
  ['PICKUP', ['picked_up']],
  ['Dropped Off at Store', ['picked_up']],
  ['ENTRI (SEDANG DI PICKUP)', ['pickup_requested']], // sap-tracking-1
  ['Pending Pickup', ['pickup_requested']], // ninja-webhook-1
  ['Paket menunggu penjemputan', ['pickup_requested']],
  ['GAGAL PICKUP, PENGIRIM TIDAK DI TEMPAT', ['exception', 'pickup_failed']],
  ['Pickup Failure', ['exception', 'pickup_failed']],
  ['PICKUP FAILED [BANDUNG]', ['exception', 'pickup_failed']],
  // The rest.
  ['Manifes', ['created']], // jnt-tracking-1 (101)
  ['CANCEL BY SHIPPER', ['cancelled']], // jne-statuscodes-1 CR2
  ['Pesanan dibatalkan', ['cancelled']],
  ['MISSING', ['exception', 'lost']], // jne-statuscodes-1 U14
  ['Paket hilang', ['exception', 'lost']],
  ['DAMAGE CASE', ['exception', 'damaged']], // jne-statuscodes-1 U11
  ['MISROUTE', ['exception', 'misroute']], // jne-statuscodes-1 U12
  ['SHIPMENT BEING HELD AS SHIPPERS REQUEST', ['exception', 'held_at_hub']], // jne-statuscodes-1 CR5
  ['Customs Held', ['exception', 'held_at_hub']],
  ['', [null]],
  ['[KURIR: SUNARTO]', [null]],
  ['Problem On Shipment scan', [null]],
];

describe('classifyStatusWords', () => {
  it.each(LINES)('%j → %j', (line, [status, reason]) => {
    const meaning = classifyStatusWords(line);
    expect(meaning?.status ?? null).toBe(status);
    if (reason) expect(meaning?.reason).toBe(reason);
    if (status === 'returning_to_sender' || status === 'returned') expect(meaning?.returnLeg).toBe(true);
    if (meaning) expect(meaning.rule).toEqual(expect.any(String));
  });

  it('reads the same words whatever their case, spacing and punctuation', () => {
    for (const [a, b] of [
      ['paket   TELAH diterima', 'PAKET TELAH DITERIMA'],
      ['gagal_dikirim', 'GAGAL DIKIRIM'],
      ['【RETUR】 diterima—pengirim', 'RETUR DITERIMA PENGIRIM'],
    ])
      expect(classifyStatusWords(a)).toEqual(classifyStatusWords(b));
  });
});

describe('reasonOfWords', () => {
  it.each([
    ['Alamat tidak lengkap', 'address_problem'],
    ['PENERIMA PINDAH ALAMAT', 'address_problem'],
    ['Consignee not at home', 'consignee_absent'],
    ['TUTUP LIBUR AKHIR PEKAN (KIRIMAN COD)', 'consignee_absent'],
    ['Customer unreachable by phone', 'consignee_unreachable'],
    ['PENERIMA TIDAK DI KENAL', 'consignee_unreachable'],
    ['Customer refused - no cash', 'consignee_refused_no_money'],
    ['MENUNGGU PEMBAYARAN COD', 'consignee_refused_no_money'],
    ['Parcel missorted to another branch', 'misroute'],
    ['MELAMPAUI 3 HARI', 'max_attempts'],
    ['Parcel lost', 'lost'],
    ['Parcel damaged', 'damaged'],
  ] as [string, CourierReason][])('%j → %s', (text, reason) => {
    expect(reasonOfWords(text)).toBe(reason);
  });

  it('names no reason for words that give none', () => {
    expect(reasonOfWords('Delivery postponed')).toBeUndefined();
    expect(reasonOfWords('WITH DELIVERY COURIER')).toBeUndefined();
  });
});

describe('normalizeWords', () => {
  it('keeps letters and digits as single-spaced upper-case words, joining "di terima" and "pick up"', () => {
    expect(normalizeWords(' Paket di terima【DC_PULO】 pick up ')).toBe(' PAKET DITERIMA DC PULO PICKUP ');
  });
});
