/**
 * The `contact` action: a WhatsApp link that opens a chat with the buyer, pre-filled with a short,
 * polite Indonesian message naming the order, the courier and the problem. Sellers reach COD buyers on
 * WhatsApp; a message before the next attempt is how most failed COD parcels are saved.
 */

export interface BuyerContact {
  recipientName: string;
  /** E.164 (+62…). */
  recipientPhone: string;
  /** The seller's order reference. */
  reference: string;
  /** The courier's display name ("J&T Express"); null before booking. */
  courierName: string | null;
  /** The alert's normalized reason (couriers/README.md §5.1, or a rule's own). */
  reason: string;
  /** Rupiah to collect; 0 or absent for a prepaid parcel. */
  codAmount?: number;
}

/** What happened, as the end of "pesanan #X Anda (Kurir) …", then what we ask of the buyer. */
const PROBLEM: Record<string, string> = {
  consignee_absent:
    'gagal diantar karena penerima tidak di tempat. Kapan Kakak bisa menerima paketnya agar kami minta kurir mengantar ulang?',
  consignee_unreachable:
    'belum bisa diantar karena kurir tidak dapat menghubungi nomor Kakak. Apakah nomor ini aktif, dan kapan Kakak bisa menerima paketnya?',
  consignee_refused:
    'ditolak saat diantar. Apakah ada kendala dengan pesanan ini? Kami siap membantu sebelum paket dikembalikan.',
  consignee_refused_no_money:
    'belum bisa diterima karena pembayaran COD belum siap. Kapan Kakak siap menerima dan membayar paketnya{cod}?',
  consignee_refused_did_not_order:
    'ditolak karena penerima merasa tidak memesan. Mohon konfirmasi, apakah pesanan ini benar dari Kakak?',
  address_problem:
    'gagal diantar karena alamat tidak ditemukan atau kurang lengkap. Mohon kirimkan alamat lengkap beserta patokannya.',
  attempt_failed: 'gagal diantar oleh kurir. Kapan Kakak bisa menerima paketnya?',
  max_attempts:
    'sudah beberapa kali gagal diantar dan akan dikembalikan jika tidak diterima. Kapan Kakak bisa menerima paketnya?',
  rts_initiated:
    'sedang dalam proses dikembalikan ke pengirim. Apakah Kakak masih ingin menerima paket ini? Kami akan minta kurir mengantar ulang.',
  stale_no_scan:
    'belum ada kabar terbaru dari kurir dan sedang kami pantau. Mohon kabari kami jika paketnya sudah Kakak terima.',
  late_vs_sla:
    'mengalami keterlambatan pengiriman, tetapi masih dalam perjalanan. Mohon maaf atas ketidaknyamanannya, dan mohon tetap diterima saat tiba.',
  held_at_hub:
    'sedang tertahan di gudang kurir dan sedang kami tindak lanjuti. Mohon maaf atas keterlambatannya.',
  misroute:
    'sempat salah rute dan sedang diarahkan kembali ke alamat Kakak. Mohon maaf atas keterlambatannya.',
  damaged:
    'dilaporkan bermasalah oleh kurir dan sedang kami tindak lanjuti. Kami akan segera mengabari Kakak.',
  pickup_failed: 'belum dijemput kurir dan sedang kami jadwalkan ulang. Mohon maaf atas keterlambatannya.',
  risky_recipient:
    'akan segera kami kirim. Mohon konfirmasi bahwa pesanan dan alamatnya sudah benar{codReady}.',
  rebooked_parcel_scanned:
    'mungkin dibawa kurir lain dari yang tercatat. Mohon kabari kami jika paketnya sudah Kakak terima.',
};
const FALLBACK = 'memerlukan konfirmasi dari Kakak. Mohon balas pesan ini agar kami bisa membantu.';

const NAME_MAX = 40;
const REFERENCE_MAX = 40;

/**
 * Text safe to put in a message: control and format characters (bidi overrides, zero-width) removed,
 * whitespace collapsed, trimmed, at most `max` characters (never splitting a character).
 */
export function cleanText(text: string, max: number): string {
  const clean = text
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const chars = [...clean];
  return chars.length > max ? chars.slice(0, max).join('').trimEnd() : clean;
}

/** `Rp 150.000`. */
export function formatRupiah(amount: number): string {
  // eslint-disable-next-line regexp/no-super-linear-move -- a number's digits: the square of their count is nothing
  return `Rp ${String(Math.trunc(amount)).replace(/\B(?=(\d{3})+(?!\d))/g, '.')}`;
}

/** The message to the buyer: greeting, the order and courier, one sentence about the problem, thanks. */
export function buyerMessage(c: BuyerContact): string {
  const name = cleanText(c.recipientName, NAME_MAX);
  const reference = cleanText(c.reference, REFERENCE_MAX);
  const courier = c.courierName ? cleanText(c.courierName, 30) : '';
  const cod = c.codAmount && c.codAmount > 0 ? formatRupiah(c.codAmount) : '';
  const problem = (PROBLEM[c.reason] ?? FALLBACK)
    .replace('{cod}', cod ? ` (${cod})` : '')
    .replace('{codReady}', cod ? `, serta pembayaran COD ${cod} siap saat paket tiba` : '');
  const order = `pesanan${reference ? ` #${reference}` : ''} Anda${courier ? ` (${courier})` : ''}`;
  return `Halo Kak${name ? ` ${name}` : ''}, ${order} ${problem} Terima kasih.`;
}

/**
 * `https://wa.me/<E.164 digits without +>?text=<message>`; null when the phone is not E.164 (no chat can
 * be opened).
 */
export function whatsappUrl(c: BuyerContact): string | null {
  const m = /^\+([1-9]\d{7,14})$/.exec(c.recipientPhone.trim());
  if (!m) return null;
  return `https://wa.me/${m[1]}?text=${encodeURIComponent(buyerMessage(c))}`;
}
