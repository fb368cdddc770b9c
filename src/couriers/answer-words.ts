/**
 * What a courier's error text says, whatever courier wrote it: the words of "this airway bill is unknown"
 * and of "your credentials are wrong". Couriers answer both with HTTP 200 and free text as often as with a
 * status code, and their texts change between API versions and hosts, so each adapter reads them here.
 */

/** "Cnote No. Not Found.", "Airwaybill tidak ditemukan", "Invalid AWB number", "data tidak ditemukan"… */
const NOT_FOUND = new RegExp(
  [
    String.raw`\bnot\s+(be\s+)?found\b`,
    String.raw`\btidak\s+(di)?temukan\b`,
    String.raw`\btdk\s+(di)?temukan\b`,
    String.raw`\btidak\s+ditemukan\b`,
    String.raw`\b(data|resi|awb|cnote|waybill|airwaybill|nomor|no\.?)\s+(tidak|tdk|belum)\s+(ada|terdaftar|valid|dikenal)\b`,
    String.raw`\btidak\s+ada\s+data\b`,
    String.raw`\bno\s+(data|record|records|result|results)\b`,
    String.raw`\binvalid\s+(awb|airwaybill|air\s*way\s*bill|waybill|cnote|resi|tracking)`,
    String.raw`\b(awb|airwaybill|waybill|cnote|resi|tracking(\s*(number|id))?)\s+(is\s+)?(invalid|unknown|tidak\s+valid|salah)\b`,
    String.raw`\bunknown\s+(awb|airwaybill|waybill|cnote|resi|tracking)`,
    String.raw`\bnot\s+your\s+cnote\b`,
    String.raw`\b(does\s*n[o']?t|do\s+not|not)\s+exists?\b`,
  ].join('|'),
  'i',
);

/** Whether an error text says the airway bill (or order) is unknown. */
export function saysNotFound(text: string): boolean {
  return NOT_FOUND.test(text);
}

const CREDENTIAL = String.raw`(api[\s_-]*key|app[\s_-]*(id|key|secret)|secret[\s_-]*key|security[\s_-]*key|client[\s_-]*(id|secret|key)|key|sign|signature|data[\s_-]*sign|digest|token|access[\s_-]*token|credentials?|kredensial|password|kata\s+sandi|username|user\s*name|eccompany\s*id|eccompanyid|customer\s*(code|name)|cus\s*name|authori[sz]ation|authentication|otentikasi|autentikasi)`;
const BAD = String.raw`(invalid|wrong|bad|incorrect|salah|tidak\s+valid|tdk\s+valid|tidak\s+sesuai|tidak\s+cocok|not\s+valid|not\s+match(ed)?|mismatch|error|failed|failure|gagal|expired|kadaluarsa|kedaluwarsa|not\s+found|tidak\s+ditemukan|tidak\s+terdaftar|not\s+registered|not\s+exists?|tidak\s+ada|required|missing|empty|kosong|ditolak|rejected|denied|verification\s+failed|unverified)`;

/** "Username Or API KEY Not Found.", "invalid key", "signature tidak valid", "unauthorized"… */
const AUTH_REFUSED = new RegExp(
  [
    String.raw`\bunauthori[sz]ed\b`,
    String.raw`\bunauthenticated\b`,
    String.raw`\bforbidden\b`,
    String.raw`\baccess\s+denied\b`,
    String.raw`\bakses\s+ditolak\b`,
    String.raw`\bpermission\s+denied\b`,
    String.raw`\bnot\s+authori[sz]ed\b`,
    String.raw`\btidak\s+(memiliki\s+)?(akses|berhak|diizinkan)\b`,
    String.raw`\b${BAD}\b[^.;\n]{0,30}?\b${CREDENTIAL}\b`,
    String.raw`\b${CREDENTIAL}\b[^.;\n]{0,30}?\b${BAD}\b`,
  ].join('|'),
  'i',
);

/**
 * "Timeout", "Gateway Time-out", "timed out"; but "time out of range/hours/window" is a pickup time refused,
 * not a courier failing ("timeout of 30000ms exceeded" is still one).
 */
const TIMED_OUT = /\btimeout\b|\btime[\s-]out\b(?!\s+of\b)|\btimed\s+out\b/i;

/** The courier's words say it (or a gateway before it) timed out: it may have acted on the request. */
export const saysTimedOut = (text: string): boolean => TIMED_OUT.test(text);

/**
 * "System busy", "Server sedang sibuk", "Too many requests", "Internal server error"…: the courier could not
 * answer now (README §2.8: couriers other than Ninja answer a rate limit with HTTP 200 and an error body, not
 * a 429).
 */
const BUSY = new RegExp(
  [
    String.raw`\b(system|sistem|server|service|layanan)\s+(sedang\s+)?(busy|sibuk|error|gangguan|down|overload(ed)?|unavailable)\b`,
    String.raw`\b(sedang|currently)\s+(sibuk|busy|gangguan|maintenance|dalam\s+(perbaikan|pemeliharaan))\b`,
    String.raw`\binternal\s+(server\s+)?error\b`,
    String.raw`\bservice\s+(temporarily\s+)?unavailable\b`,
    String.raw`\btemporar(il)?y\s+unavailable\b`,
    String.raw`\bunder\s+maintenance\b`,
    TIMED_OUT.source,
    String.raw`\btoo\s+many\s+(requests?|calls?)\b`,
    String.raw`\brate[\s-]?limit(ed)?\b`,
    String.raw`\b(request|call|api)\s+limit\s+(exceeded|reached)\b`,
    String.raw`\bterlalu\s+banyak\s+(permintaan|request|akses)\b`,
  ].join('|'),
  'i',
);
/** "Please try again", "silakan coba lagi": said after a busy courier's words, and after a refusal's too. */
const TRY_AGAIN_PHRASE = /\btry\s+again\b|\bcoba\s+(lagi|kembali|beberapa\s+saat)\b/i;

/**
 * A refusal of what we sent, in the words couriers use for it: an invalid or missing field ("Alamat tidak
 * valid", "receiver_phone is required", "wajib diisi", "tidak boleh kosong"), a route or weight the courier
 * does not take ("tidak dilayani", "di luar jangkauan", "Berat melebihi batas"), a repeated order ("Orderid
 * tidak boleh sama", jnt.md §3.2; "already exists", jne.md §3.2).
 */
const REFUSAL = new RegExp(
  [
    String.raw`\b(tidak|tdk|not)\s+(valid|sesuai|cocok|lengkap|dikenali)\b`,
    String.raw`\binvalid\b`,
    String.raw`\bsalah\b`,
    String.raw`\b(wajib|harus)\s+(di\s*isi|ada)\b`,
    String.raw`\b(tidak\s+boleh|cannot\s+be|must\s+not\s+be|is)\s+(kosong|empty|blank|null|sama)\b`,
    String.raw`\b(is|are|field)\s+(required|mandatory|missing)\b|\brequired\s+field\b`,
    String.raw`\btidak\s+(dilayani|terjangkau|terlayani)\b|\b(di\s+)?luar\s+jangkauan\b`,
    String.raw`\bout\s+of\s+(service\s+)?(area|coverage)\b|\bnot\s+(serviceable|covered|served)\b|\bunserviceable\b`,
    String.raw`\bmelebihi\b|\bexceeds?\s+(the\s+)?(max|maximum|limit\s+of|allowed)\b`,
    String.raw`\b(duplicate|duplikat)\b|\balready\s+exists?\b|\bsudah\s+(ada|digunakan|terdaftar)\b`,
  ].join('|'),
  'i',
);

const RATE_LIMITED = /\btoo\s+many\b|\brate[\s-]?limit|\blimit\s+(exceeded|reached)\b|\bterlalu\s+banyak\b/i;

/**
 * Whether an error text says the courier is busy or failing for now, so the same call may succeed later. A
 * bare "try again" counts only without a refusal in the text: "Alamat tidak valid, silakan coba lagi" asks
 * for a fixed address, and retried as a busy courier it failed over to the next courier with the same
 * address instead of telling the seller.
 */
export function saysTryAgain(text: string): boolean {
  return BUSY.test(text) || (TRY_AGAIN_PHRASE.test(text) && !saysRefusal(text));
}

/** Whether an error text refuses what we sent (a field, the route, the weight, a repeated order). */
export function saysRefusal(text: string): boolean {
  return REFUSAL.test(text);
}

/** Whether a try-again text is about our request rate (rather than the courier failing). */
export function saysRateLimited(text: string): boolean {
  return RATE_LIMITED.test(text);
}

/** Whether an error text is a refusal of our credentials or signature (an `auth` rejection). */
export function saysAuthRefused(text: string): boolean {
  return AUTH_REFUSED.test(text);
}
