import type { CourierReason, CourierStatus } from './courier-adapter';

/** What a history line's words say, when its code does not (or it has none). */
export interface WordsMeaning {
  status: CourierStatus;
  reason?: CourierReason;
  returnLeg?: boolean;
  /** The rule that matched, for tests and for an operator reading `couriers:decode`. */
  rule: string;
}

/** How much of a courier's text its words are read from (the longest line among the samples is far shorter). */
export const WORDS_READ = 1_000;

/**
 * Upper case, ASCII letters and digits separated by single spaces: `【Pickup Failure】`, `DC_PULO_GADUNG`
 * and `[JAKARTA | 06-11-2020]` all become plain words. "DI TERIMA" (a common misspelling of the
 * passive "diterima") is joined, as are "PICK UP", "DIPICK UP" and "DROP OFF". Only the first
 * WORDS_READ characters are read: a status line says what happened in its first sentence or two, and some
 * rules look for two words in order (`RETURN … RECEIVED … SHIPPER`), in time that grows with the cube of the
 * text's length (32,000 characters of a signed push's text held the service's only thread for 39 s).
 */
export function normalizeWords(text: string): string {
  return ` ${text
    .slice(0, WORDS_READ)
    .normalize('NFKD')
    .toUpperCase()
    .replace(/&/g, ' N ')
    .replace(/[^A-Z0-9]+/g, ' ')
    .replace(/\b(DI)?PICK UP\b/g, '$1PICKUP')
    .replace(/\bDI (TERIMA|KIRIM|KIRIMKAN|ANTAR|ANTARKAN|JEMPUT|KEMBALIKAN|TOLAK|BATALKAN|PICKUP)\b/g, 'DI$1')
    .replace(/\bDROP OFF\b/g, 'DROPOFF')
    .replace(/\s+/g, ' ')
    .trim()} `;
}

/** A place the parcel is handed to inside the courier's network: a receipt there is a movement, not a delivery. */
const FACILITY =
  '(GUDANG|HUB|SORTING|SORTIR|GATEWAY|WAREHOUSE|DC|TH|MH|SP|DP|DEPO|DEPOT|CABANG|BRANCH|KANTOR|OFFICE|AGEN|AGENT|COUNTER|KONTER|GERAI|OUTLET|TRANSIT|POS|DROP ?POINT|DROPPOINT|STATION|INBOUND|OUTBOUND|ORIGIN|DESTINATION|KOTA|MEGAHUB|TERMINAL|BANDARA|AIRPORT|PELABUHAN|PORT|DISTRIBUTION|COURIER|KURIR|JNE|J N T|JNT|SAP|NINJA|IDEXPRESS|ID EXPRESS|PETUGAS|OFFICER|DRIVER|SPRINTER)';
/** Who a returned parcel is handed back to. */
const SHIPPER = '(PENGIRIM|SHIPPER|SENDER|SELLER|PENJUAL|MERCHANT|TOKO|CLIENT|KLIEN|ASAL PENGIRIM)';
/** Taken in from the sender: the pickup, never a delivery. */
const FROM_SHIPPER = `\\b(DITERIMA|RECEIVED) (DARI|FROM) ${SHIPPER}\\b`;
/** A receipt, in either language. */
const RECEIVED = '(DITERIMA|DITERIMAKAN|DELIVERED|RECEIVED|SAMPAI|TIBA|DISERAHKAN|HANDED OVER|COLLECTED)';

const re = (source: string) => new RegExp(source);

/** Phrases that deny a receipt ("BELUM DITERIMA", "NOT DELIVERED"): removed before the delivered rules read the text. */
const NEGATED_RECEIPT = re(
  `\\b(BELUM|BLM|TIDAK|TDK|TAK|GAGAL|NOT|NOT YET|NEVER|UN) ?(BISA |DAPAT |PERNAH )?(DITERIMA|DELIVERED|RECEIVED|TERKIRIM|DIANTAR|SAMPAI)\\b`,
);

/** Failure reasons by their words, narrowest first: a refusal with its cause before a bare refusal. */
const REASON_RULES: [CourierReason, RegExp][] = [
  [
    'consignee_refused_no_money',
    re(
      '\\b(TIDAK|TDK|BELUM|GAK|NGGAK) (ADA|PUNYA|MEMILIKI|CUKUP|MAU|MAMPU|BISA|SANGGUP) ?(UANG|DANA|DUIT|BAYAR|MEMBAYAR)|\\bUANG (TIDAK|TDK|BELUM|KURANG) (CUKUP|ADA)|\\bMENOLAK (BAYAR|MEMBAYAR)|\\bMENUNGGU PEMBAYARAN|\\bNO (CASH|MONEY|FUNDS?)\\b|\\bNOT ENOUGH (CASH|MONEY)|\\bINSUFFICIENT (CASH|FUNDS?|MONEY)|\\b(UNABLE|CANNOT|CAN T|REFUSED?|REFUSES) (TO )?PAY\\b',
    ),
  ],
  [
    'consignee_refused_did_not_order',
    re(
      '\\b(TIDAK|TDK|GAK|BELUM) (MERASA )?(MEM)?(PESAN|ORDER)\\b|\\bDID NOT ORDER|\\bDIDN T ORDER|\\bNOT ORDERED|\\bNEVER ORDERED|\\bFAKE ORDER|\\bORDER FIKTIF|\\bDOUBLE ORDER|\\bPESANAN GANDA',
    ),
  ],
  ['consignee_refused', re('\\b(MENOLAK|DITOLAK|TOLAK|PENOLAKAN|REFUSED?|REFUSAL|REJECT(ED)?|DECLINED?)\\b')],
  [
    'address_problem',
    re(
      '\\bALAMAT (TIDAK|TDK|KURANG|SALAH|TAK|BELUM|PALSU|FIKTIF)|\\bALAMAT\\b.*\\b(TIDAK|TDK) (LENGKAP|JELAS|DITEMUKAN|DIKENAL|SESUAI)|\\bPINDAH (ALAMAT|RUMAH)|\\bBAD ADDRESS|\\bADDRESS (NOT|INCOMPLETE|UNKNOWN|WRONG|INCORRECT|PROBLEM|ISSUE|ERROR)|\\b(INCOMPLETE|WRONG|INCORRECT|UNKNOWN|INVALID) ADDRESS|\\b(UNABLE|CANNOT|CAN T) (TO )?(LOCATE|FIND)|\\b(RECIPIENT|CONSIGNEE|PENERIMA) (HAS )?MOVED\\b',
    ),
  ],
  [
    'consignee_unreachable',
    re(
      '\\b(TIDAK|TDK|TAK) (DAPAT|BISA) DIHUBUNGI|\\b(TELEPON|TELPON|TELP|HP|NOMOR|NO|PONSEL|WA)( PENERIMA)? (TIDAK|TDK) (AKTIF|DIANGKAT|TERSAMBUNG|BISA|VALID)|\\bUNREACHABLE|\\bNOT REACHABLE|\\bNO ANSWER|\\bNOT ANSWERING|\\bCANNOT BE (CONTACTED|REACHED)|\\bCAN T BE (CONTACTED|REACHED)|\\b(PENERIMA|CONSIGNEE|RECIPIENT) (TIDAK|TDK) DI ?KENAL|\\bUNKNOWN (CONSIGNEE|RECIPIENT)|\\bMENINGGAL',
    ),
  ],
  [
    'consignee_absent',
    re(
      '\\b(TIDAK|TDK|TAK) (ADA )?DI ?(TEMPAT|RUMAH|LOKASI|KANTOR)|\\bTIDAK ADA ORANG|\\b(RUMAH|KANTOR|TOKO)( \\w+)? KOSONG|\\bKOSONG\\b|\\bTUTUP\\b|\\bLIBUR\\b|\\bCUTI\\b|\\bLUAR KOTA\\b|\\bNOT (AT )?HOME|\\bNOBODY|\\bNO ONE|\\bABSENT|\\bNOT AVAILABLE|\\bPREMISES CLOSED|\\bCLOSED\\b',
    ),
  ],
  [
    'misroute',
    re(
      '\\bMIS ?ROUTED?|\\bMIS ?SORT(ED)?|\\bSALAH (KIRIM|RUTE|SORTIR|TUJUAN|ALAMAT TUJUAN)|\\bCRISS CROSS|\\bWRONG HUB',
    ),
  ],
  [
    'max_attempts',
    re(
      '\\bMAX(IMUM)? (DELIVERY )?ATTEMPTS?|\\bMELAMPAUI (BATAS|\\d+ HARI)|\\bBATAS (MAKSIMAL|PERCOBAAN)|\\bSUDAH \\d+ KALI',
    ),
  ],
  ['lost', re('\\b(HILANG|LOST|MISSING|DIMUSNAHKAN|DISPOSED|DESTROY(ED)?|SCRAPPED)\\b')],
  ['damaged', re('\\b(RUSAK|DAMAGED?|BREACH|PECAH|BOCOR)\\b')],
];

/** Failure reasons that describe an attempt at the consignee's door (the others are about the parcel). */
const ATTEMPT_REASONS: ReadonlySet<CourierReason> = new Set<CourierReason>([
  'consignee_refused_no_money',
  'consignee_refused_did_not_order',
  'consignee_refused',
  'address_problem',
  'consignee_unreachable',
  'consignee_absent',
  'max_attempts',
]);

/** A failure reason named by the words of a line, or undefined. */
export function reasonOfWords(text: string): CourierReason | undefined {
  const t = normalizeWords(text);
  return REASON_RULES.find(([, pattern]) => pattern.test(t))?.[0];
}

/**
 * The cause of a failed delivery attempt named by its words (a refusal, an address, an absent or
 * unreachable consignee, a misroute, too many attempts), or undefined: the parcel's own fate (lost,
 * damaged) is no cause of an attempt.
 */
export function attemptReasonOfWords(text: string): CourierReason | undefined {
  const reason = reasonOfWords(text);
  return reason === 'lost' || reason === 'damaged' ? undefined : reason;
}

interface Rule {
  name: string;
  test: RegExp;
  /** Text that, when present, makes the rule not apply (a trap: "DITERIMA DI GUDANG" is no delivery). */
  unless?: RegExp;
  meaning: Omit<WordsMeaning, 'rule'>;
}

const RULES: Rule[] = [
  {
    name: 'return received by the shipper',
    test: re(
      `\\bRETUR(N|NED)?\\b.*\\b${RECEIVED}\\b.*\\b${SHIPPER}\\b|\\b(RETURNED|DIKEMBALIKAN|DIRETUR) (TO|KE|KEPADA) ${SHIPPER}\\b.*\\b${RECEIVED}\\b|\\bRETURNED (TO|BACK TO) (SENDER|SHIPPER|MERCHANT|SELLER)\\b|\\bRETURN(ED)? (POD|DELIVERED)\\b|\\bPOD RETUR(N)?\\b|\\b${SHIPPER} (TELAH |SUDAH )?(MENERIMA|RECEIVED) (PAKET )?RETUR|\\b(DITERIMA|RECEIVED) (OLEH|BY) (PENGIRIM|SHIPPER|SENDER|ASAL PENGIRIM)\\b|\\b(DITERIMA|RECEIVED) KEMBALI (OLEH|BY) ${SHIPPER}\\b`,
    ),
    unless: re('\\b(DI|AT|KE|TO) (GUDANG|HUB|SORTING|GATEWAY|WAREHOUSE|DC|CABANG|BRANCH|TRANSIT)\\b'),
    meaning: { status: 'returned', returnLeg: true },
  },
  {
    name: 'return under way',
    test: re(
      '\\bRETUR(N|NED|NING|S)?\\b|\\bDIRETUR\\b|\\bDIKEMBALIKAN\\b|\\bPENGEMBALIAN\\b|\\bKEMBALI KE (PENGIRIM|ASAL|SHIPPER)\\b|\\bRTS\\b',
    ),
    meaning: { status: 'returning_to_sender', reason: 'rts_initiated', returnLeg: true },
  },
  {
    name: 'cancelled',
    test: re('\\b(CANCEL|CANCELLED|CANCELED|CANCELATION|CANCELLATION|DIBATALKAN|PEMBATALAN|BATAL|VOID)\\b'),
    meaning: { status: 'cancelled' },
  },
  {
    name: 'lost or destroyed',
    test: re('\\b(HILANG|LOST|MISSING|DIMUSNAHKAN|DISPOSED|DESTROY(ED)?|SCRAPPED)\\b'),
    meaning: { status: 'exception', reason: 'lost' },
  },
  {
    name: 'delivered damaged',
    test: re(
      `\\b(RUSAK|DAMAGED?|BREACH|PECAH)\\b.*\\b(DITERIMA|RECEIVED|DELIVERED)\\b|\\b(DITERIMA|RECEIVED|DELIVERED)\\b.*\\b(RUSAK|DAMAGED?|BREACH|PECAH)\\b`,
    ),
    unless: re(`\\b(DI|AT|OLEH|BY) ${FACILITY}\\b|${NEGATED_RECEIPT.source}`),
    meaning: { status: 'delivered', reason: 'damaged' },
  },
  {
    name: 'damaged',
    test: re('\\b(RUSAK|DAMAGED?|DAMAGE CASE|PECAH|BOCOR)\\b'),
    meaning: { status: 'exception', reason: 'damaged' },
  },
  {
    name: 'pickup failed',
    test: re(
      '\\b(GAGAL|FAILED|FAIL|FAILURE|TIDAK BERHASIL) (DI)?(PICKUP|JEMPUT|DIJEMPUT|PENJEMPUTAN|AMBIL|DIAMBIL)\\b|\\b(PICKUP|PENJEMPUTAN) (GAGAL|FAILED|FAIL|FAILURE|EXCEPTION|TERTUNDA|DITUNDA|PENDING RESCHEDULE)\\b|\\bPICKUP (TIDAK|TDK) (BERHASIL|DILAKUKAN)',
    ),
    meaning: { status: 'exception', reason: 'pickup_failed' },
  },
  {
    name: 'delivery failed',
    test: re(
      `\\bGAGAL (DI)?(KIRIM|ANTAR|ANTARKAN|DIKIRIM|DIANTAR|DIANTARKAN|PENGIRIMAN|PENGANTARAN|DELIVERY|TERKIRIM)\\b|\\bTIDAK BERHASIL (DI)?(KIRIM|ANTAR|DIKIRIM|DIANTAR)|\\bUNDELIVERED\\b|\\bUNDEL\\b|\\bDELIVERY (FAIL|FAILED|FAILURE|EXCEPTION|UNSUCCESSFUL|PROBLEM|ATTEMPT FAILED)\\b|\\bFAILED (DELIVERY|ATTEMPT|TO DELIVER)\\b|\\b(ANTAR|KIRIM) ULANG\\b|\\bRE ?ATTEMPT|\\bRE ?DELIVERY\\b|\\bPENDING RESCHEDULE\\b|\\bNOT TIME DELIVERY\\b|\\bPENDING (DELIVERY|PENGIRIMAN)\\b|\\bGAGAL\\b`,
    ),
    meaning: { status: 'delivery_failed', reason: 'attempt_failed' },
  },
  {
    name: 'a consignee-side reason',
    test: re(
      REASON_RULES.filter(([reason]) => ATTEMPT_REASONS.has(reason))
        .map(([, pattern]) => pattern.source)
        .join('|'),
    ),
    meaning: { status: 'delivery_failed', reason: 'attempt_failed' },
  },
  {
    name: 'misrouted',
    test: REASON_RULES.find(([reason]) => reason === 'misroute')![1],
    meaning: { status: 'exception', reason: 'misroute' },
  },
  {
    name: 'held',
    test: re('\\b(ON HOLD|HOLD|HELD|DITAHAN|TERTAHAN|PENAHANAN|CUSTOMS HELD)\\b'),
    meaning: { status: 'exception', reason: 'held_at_hub' },
  },
  {
    name: 'order data only',
    test: re(
      '\\b(DATA|PESANAN|ORDER|MANIFES|MANIFEST) (TELAH |SUDAH )?(DITERIMA|DIBUAT|RECEIVED|CREATED|MASUK)\\b|\\bORDER CREATED\\b|\\bSHIPMENT INFORMATION RECEIVED\\b|\\bMANIFES\\b|\\bSTAGING\\b|\\bMENUNGGU (PAKET|BARANG) (DISERAHKAN|DIKIRIM)',
    ),
    meaning: { status: 'created' },
  },
  {
    name: 'pickup requested',
    test: re(
      '\\bPICKUP REQUEST(ED)?\\b|\\bREQUEST PICKUP\\b|\\bMENUNGGU (PICKUP|PENJEMPUTAN|DIJEMPUT|DIPICKUP)\\b|\\bAKAN DI(JEMPUT|PICKUP)\\b|\\bSEDANG (DI)?(PICKUP|JEMPUT|DIJEMPUT)\\b|\\bPROSES (PICKUP|PENJEMPUTAN)\\b|\\bPENDING PICKUP\\b|\\bDRIVER DISPATCHED\\b|\\bEN ROUTE TO PICKUP\\b|\\bKURIR (MENUJU|SEDANG MENUJU|DALAM PERJALANAN KE) (LOKASI )?(PENGIRIM|PICKUP|PENJEMPUTAN)',
    ),
    meaning: { status: 'pickup_requested' },
  },
  {
    name: 'delivered',
    test: re(
      '\\bDELIVERED\\b|\\b(TELAH|SUDAH|BERHASIL) (DITERIMA|DIANTAR|DIANTARKAN|DIKIRIM KE PENERIMA|TERKIRIM)\\b|\\bDITERIMA( OLEH)?\\b|\\bRECEIVED BY\\b|\\bPOD\\b|\\bPROOF OF DELIVERY\\b|\\b(DELIVERY|PENGIRIMAN|PENGANTARAN) (SUCCESS|SUCCESSFUL|SUKSES|BERHASIL|SELESAI)\\b|\\bSUKSES (DI)?(KIRIM|ANTAR|DIKIRIM|DIANTAR)\\b|\\bSUCCESSFUL DELIVERY\\b|\\b(DIAMBIL|COLLECTED) (OLEH|BY) (PENERIMA|CUSTOMER|CONSIGNEE|RECIPIENT|PELANGGAN|PEMBELI)\\b|^ COMPLETED $',
    ),
    unless: re(
      `\\b(DITERIMA|RECEIVED|DELIVERED|TIBA|SAMPAI)( OLEH| BY)?( DI| AT| IN| TO| KE)? (THE )?${FACILITY}\\b|\\b(DATA|PESANAN|ORDER) (TELAH |SUDAH )?DITERIMA\\b|${FROM_SHIPPER}`,
    ),
    meaning: { status: 'delivered' },
  },
  {
    name: 'picked up',
    test: re(
      `\\bPICKED ?UP\\b|\\bPICKUP (SCAN|SUCCESS|SUCCESSFUL|BERHASIL|SUKSES|SELESAI|DONE)\\b|\\b(TELAH|SUDAH|BERHASIL) (DI)?(JEMPUT|DIJEMPUT|PICKUP|DIPICKUP|DIAMBIL KURIR)\\b|\\bDIJEMPUT\\b|\\bDIPICKUP\\b|\\bDROPOFF\\b|\\bDROPPED OFF\\b|\\b(RECEIVED|DITERIMA)( OLEH| BY)?( DI| AT)? (THE )?(AGEN|AGENT|COUNTER|KONTER|GERAI|OUTLET|DROP ?POINT|DROPPOINT)\\b|\\bCOUNTER OFFICER\\b|\\bDIAMBIL (OLEH )?KURIR\\b|\\bPICKUP\\b|${FROM_SHIPPER}`,
    ),
    meaning: { status: 'picked_up' },
  },
  {
    name: 'out for delivery',
    test: re(
      '\\bOUT FOR DELIVERY\\b|\\bWITH DELIVERY COURIER\\b|\\bON VEHICLE FOR DELIVERY\\b|\\bDELIVERY (SCAN|COURIER|IN PROGRESS)\\b|\\bDELIVERING\\b|\\bSEDANG (DI)?(ANTAR|DIANTAR|DIANTARKAN|DIKIRIM KE (ALAMAT )?PENERIMA)\\b|\\bDIANTAR(KAN)?\\b|\\bMENGANTAR\\b|\\bPENGANTARAN\\b|\\bAKAN DIKIRIM(KAN)? KE (ALAMAT )?PENERIMA\\b|\\bMENUJU (ALAMAT )?PENERIMA\\b|\\b(DENGAN|BERSAMA|DIBAWA|OLEH) (KURIR|SPRINTER)\\b|\\bKURIR (PENGANTAR|ANTAR)\\b|\\bANTAR\\b|\\bPENDING CUSTOMER COLLECTION\\b|\\bPOP ?BOX\\b|\\bLOKER\\b|\\bLOCKER\\b|\\bDELIVERY\\b',
    ),
    meaning: { status: 'out_for_delivery' },
  },
  {
    name: 'in transit',
    test: re(
      `\\bTRANSIT\\b|\\bDIKIRIM(KAN)? KE\\b|\\bAKAN DIKIRIM(KAN)?\\b|\\b(TELAH|SUDAH) (SAMPAI|TIBA)\\b|\\b(SAMPAI|TIBA) DI\\b|\\bARRIVED\\b|\\bARRIVAL\\b|\\bDEPART(ED|S|URE)?\\b|\\bBERANGKAT\\b|\\bSORTING\\b|\\bSORTIR\\b|\\bHUB\\b|\\bGATEWAY\\b|\\bGUDANG\\b|\\bWAREHOUSE\\b|\\bMANIFEST(ED)?\\b|\\bPROCESS(ED)?\\b|\\bDIPROSES\\b|\\bFORWARD(ED)?\\b|\\bDITERUSKAN\\b|\\bOUTGOING\\b|\\bINCOMING\\b|\\bINBOUND\\b|\\bOUTBOUND\\b|\\b(UN)?LOADING\\b|\\bSENDING\\b|\\b(UN)?PACKING\\b|\\bDIKIRIM\\b|\\bDALAM PERJALANAN\\b|\\bON THE WAY\\b|\\bEN ROUTE\\b|\\b(RECEIVED|DITERIMA)( OLEH| BY)?( DI| AT| IN| ON)? (THE )?${FACILITY}\\b`,
    ),
    meaning: { status: 'in_transit' },
  },
];

/**
 * What a courier's history line means by its words alone (Indonesian or English), for a line with no
 * code or a code no status table knows: first matching rule wins, from the end of a journey back to its
 * start, so "RETUR DITERIMA PENGIRIM" is a completed return before it is a receipt, "GAGAL DIKIRIM" a
 * failed attempt before it is a movement, and "DITERIMA DI GUDANG" a movement rather than a delivery.
 * Negated receipts ("BELUM DITERIMA", "NOT DELIVERED") never count as one. A failed attempt takes its
 * reason from the words too. null when the words say nothing we can read.
 */
export function classifyStatusWords(text: string): WordsMeaning | null {
  const t = normalizeWords(text);
  if (!t.trim()) return null;
  const positive = t.replace(new RegExp(NEGATED_RECEIPT.source, 'g'), ' ');
  for (const rule of RULES) {
    // The delivered rules read the text without its negated receipts; the others read it whole.
    const subject = rule.meaning.status === 'delivered' ? positive : t;
    if (!rule.test.test(subject) || rule.unless?.test(subject)) continue;
    const { meaning } = rule;
    if (meaning.status === 'delivery_failed') {
      const reason = reasonOfWords(text);
      return {
        ...meaning,
        reason: reason && ATTEMPT_REASONS.has(reason) ? reason : 'attempt_failed',
        rule: rule.name,
      };
    }
    return { ...meaning, rule: rule.name };
  }
  return null;
}
