import { ApiError } from '../api/errors';
import type { Language } from './translate';

/**
 * The API speaks English (its error codes are the contract; its messages are for developers). The
 * dashboard is Indonesian first, so what a seller reads of a refusal is said here in Indonesian: the error
 * by its code, a field's problem by the API's wording of the rule it broke. Anything not known here is
 * shown as the API said it, in English, rather than hidden. In English the API's own words are shown.
 */

/** Indonesian for the errors a dashboard user can meet, by the API's code. */
export const ERRORS_ID: Readonly<Record<string, string>> = {
  VALIDATION_FAILED: 'Periksa kembali isian yang ditandai.',
  NOT_FOUND: 'Data tidak ditemukan.',
  BAD_REQUEST: 'Permintaan tidak dapat diproses.',
  PAYLOAD_TOO_LARGE: 'Berkas atau isian terlalu besar.',
  UNSUPPORTED_MEDIA_TYPE: 'Jenis berkas atau isian tidak didukung.',
  COURIER_UNAVAILABLE: 'Sistem kurir sedang gangguan dan tidak ada yang diubah. Coba lagi nanti.',
  COURIER_REJECTED: 'Kurir menolak permintaan ini.',
  REMITTANCE_REPORT_TOO_LARGE: 'Berkas laporan remitansi terlalu besar.',
  REQUEST_TIMEOUT: 'Permintaan terlalu lama terkirim. Coba lagi.',
  AUTH_UNAUTHENTICATED: 'Silakan masuk terlebih dahulu.',
  AUTH_FORBIDDEN: 'Peran Anda tidak diizinkan melakukan ini.',
  AUTH_INVALID_CREDENTIALS: 'Email atau kata sandi salah.',
  AUTH_INVALID_TOKEN: 'Sesi Anda telah berakhir. Silakan masuk lagi.',
  AUTH_RATE_LIMITED: 'Terlalu banyak percobaan masuk. Coba lagi nanti.',
  AUTH_SIGNUP_RATE_LIMITED: 'Terlalu banyak pendaftaran dari alamat ini. Coba lagi nanti.',
  AUTH_EMAIL_TAKEN: 'Email ini sudah terdaftar.',
  AUTH_WRONG_PASSWORD: 'Kata sandi saat ini salah.',
  AUTH_PASSWORD_UNCHANGED: 'Kata sandi baru harus berbeda dari kata sandi saat ini.',
  AUTH_CANNOT_DISABLE_SELF: 'Anda tidak dapat menghapus akun Anda sendiri.',
  AUTH_USER_NOT_FOUND: 'Pengguna tidak ditemukan.',
  AUTH_API_KEY_NOT_FOUND: 'API key tidak ditemukan atau sudah dicabut.',
  AUTH_NOT_A_SESSION: 'API key bukan sesi masuk.',
  AUTH_NOT_A_SELLER: 'Akun ini bukan milik toko.',
  USERS_RATE_LIMITED: 'Terlalu banyak pengguna ditambahkan. Coba lagi nanti.',
  AREA_UNRESOLVED: 'Lokasi tidak dikenali: periksa kecamatan, kota dan provinsinya.',
  SELLERS_ADDRESS_NOT_FOUND: 'Alamat tidak ditemukan.',
  SELLERS_BANK_ACCOUNT_EXISTS: 'Rekening ini sudah terdaftar.',
  SELLERS_BANK_ACCOUNT_NOT_FOUND: 'Rekening tidak ditemukan.',
  SELLERS_WEBHOOK_TARGET_FORBIDDEN:
    'Alamat webhook ini tidak diizinkan: webhook hanya dikirim ke alamat internet publik.',
  SELLERS_WEBHOOK_DNS_UNAVAILABLE: 'Alamat webhook belum dapat diperiksa. Coba lagi nanti.',
  SELLERS_WEBHOOK_URL_RATE_LIMITED: 'Alamat webhook terlalu sering diubah. Coba lagi beberapa menit lagi.',
  SELLERS_WEBHOOK_DELIVERY_DELIVERED: 'Kiriman webhook ini sudah terkirim.',
  SELLERS_WEBHOOK_DELIVERY_IN_FLIGHT: 'Kiriman webhook ini sedang dikirim.',
  SELLERS_WEBHOOK_URL_MISSING: 'Isi URL webhook terlebih dahulu.',
  SELLERS_WEBHOOK_HOST_UNRESOLVABLE:
    'Alamat webhook tidak dapat ditemukan di internet publik: webhook hanya dikirim ke alamat internet publik.',
  SELLERS_WEBHOOK_TEST_RATE_LIMITED: 'Terlalu banyak uji webhook. Coba lagi sebentar lagi.',
  UPLOADS_BUSY: 'Terlalu banyak unggahan sedang diproses. Coba lagi dalam beberapa detik.',
  SELLERS_WEBHOOK_DELIVERY_NOT_FOUND: 'Kiriman webhook tidak ditemukan.',
  SHIPMENTS_NOT_FOUND: 'Pengiriman tidak ditemukan.',
  SHIPMENTS_REFERENCE_TAKEN: 'Nomor referensi ini sudah dipakai pengiriman lain.',
  SHIPMENTS_NO_COURIER_CARRIES: 'Tidak ada kurir yang dapat membawa paket ini.',
  SHIPMENTS_CANNOT_CANCEL: 'Pengiriman ini tidak dapat dibatalkan lagi.',
  SHIPMENTS_CANCEL_IN_PROGRESS: 'Pembatalan sedang diproses.',
  SHIPMENTS_ACTION_NOT_ALLOWED: 'Tindakan ini tidak dapat dilakukan pada status pengiriman sekarang.',
  SHIPMENTS_ADDRESS_OUTSIDE_CITY: 'Alamat baru harus di kota tujuan yang sama.',
  SHIPMENTS_ADDRESS_NOT_MAPPED: 'Kurir tidak dapat dikirimi alamat baru ini: periksa kecamatannya.',
  SHIPMENTS_ACTION_IN_PROGRESS: 'Tindakan lain untuk pengiriman ini sedang diproses.',
  SHIPMENTS_ACTION_ALREADY_TAKEN: 'Tindakan yang sama sudah dicatat untuk pengiriman ini.',
  SHIPMENTS_ACTION_REFUSED_BY_COURIER: 'Kurir menolak tindakan ini.',
  SHIPMENTS_ACTION_SUPERSEDED:
    'Pengiriman dipesan ulang ke kurir lain saat koreksi alamat dikirim, jadi alamat baru belum sampai ke kurirnya. Kirim ulang koreksinya.',
  PICKUPS_NOT_FOUND: 'Penjemputan tidak ditemukan.',
  PICKUPS_SHIPMENTS_NOT_READY: 'Sebagian pengiriman belum siap dijemput.',
  PICKUPS_DATE_NOT_ALLOWED: 'Tanggal penjemputan tidak diizinkan.',
  ALERTS_NOT_FOUND: 'Peringatan tidak ditemukan.',
  ALERTS_ALREADY_RESOLVED: 'Peringatan ini sudah selesai, tidak perlu ditandai dibaca lagi.',
  LEDGER_KEY_CONFLICT: 'Pencatatan ini bertentangan dengan yang sudah ada. Hubungi tim Kirim.',
  LEDGER_INSUFFICIENT_FUNDS: 'Saldo tidak mencukupi.',
  WITHDRAWAL_INSUFFICIENT_FUNDS: 'Jumlah melebihi saldo yang bisa ditarik.',
  WITHDRAWAL_AMOUNT_TOO_SMALL: 'Jumlah penarikan terlalu kecil.',
  WITHDRAWAL_NOT_FOUND: 'Penarikan tidak ditemukan.',
  WITHDRAWAL_INVALID_TRANSITION: 'Penarikan ini sudah diproses.',
  WITHDRAWAL_BANK_ACCOUNT_REMOVED:
    'Penjual sudah menghapus rekening bank tujuan penarikan ini. Tolak penarikan agar saldonya kembali.',
  WITHDRAWAL_PROVIDER_UNAVAILABLE: 'Layanan transfer bank sedang tidak tersedia. Coba lagi nanti.',
  INVOICING_NOT_FOUND: 'Tagihan tidak ditemukan.',
  REMITTANCE_NOT_FOUND: 'Remitansi tidak ditemukan.',
  REMITTANCE_ALREADY_UPLOADED: 'Berkas remitansi ini sudah pernah diunggah.',
  REMITTANCE_ALREADY_VOIDED: 'Laporan ini sudah dibatalkan.',
  REMITTANCE_LINE_NOT_FOUND: 'Baris remitansi tidak ditemukan.',
  REMITTANCE_LINE_ALREADY_RESOLVED: 'Baris ini sudah diselesaikan sebelumnya.',
  REMITTANCE_LINE_NOT_IN_SUSPENSE:
    'Baris ini sudah cocok dengan paketnya: tidak ada dana tertahan untuk diselesaikan.',
  REMITTANCE_HAS_RESOLVED_LINES:
    'Sebagian baris laporan ini sudah diselesaikan: dananya sudah keluar dari penampungan, laporan tidak dapat dibatalkan.',
  REMITTANCE_RESOLUTION_NOT_THE_PARCEL: 'Pengiriman ini bukan paket yang dibawa kurir dengan resi baris ini.',
  REMITTANCE_RESOLUTION_AMOUNT_DIFFERS:
    'Nilai COD pengiriman ini berbeda dengan nilai baris: kembalikan ke kurir atau catat sebagai pendapatan.',
  REMITTANCE_RESOLUTION_ALREADY_CREDITED: 'Penjual sudah menerima uang COD paket ini.',
  REMITTANCE_RESOLUTION_REVERSED_TWICE:
    'Kredit COD paket ini sudah dibatalkan dua kali: penjual tidak dikreditkan lagi. Kembalikan ke kurir atau catat sebagai pendapatan.',
  COD_SETTLEMENT_NOT_TAKEN_BACK:
    'Pengiriman ini tidak ditarik kembali oleh kurir: tidak ada yang perlu diselesaikan.',
  COD_SETTLEMENT_ALREADY_REMITTED:
    'Kurir sudah menyetor uang COD paket ini: uangnya sudah diterima, jadi kreditnya dilepas, bukan dibatalkan.',
  COD_SETTLEMENT_NO_CREDIT: 'Pengiriman ini tidak mengkreditkan uang COD: tidak ada yang perlu diselesaikan.',
  COD_SETTLEMENT_ALREADY_SETTLED: 'Pengiriman ini sudah diselesaikan dengan keputusan lain.',
  COD_SETTLEMENT_ALERT_CHANGED:
    'Pengiriman ini berubah sejak daftar dimuat (terkirim lagi, atau ditarik kembali lagi): periksa lagi.',
  COD_SETTLEMENT_REVERSAL_UNCOVERED:
    'Kredit COD tidak dapat dibatalkan: saldo tersedia penjual tidak cukup karena uangnya sudah ditarik.',
  // The dashboard keeps a form's key while an answer is lost: this says the earlier request went through.
  IDEMPOTENCY_KEY_REUSED:
    'Permintaan sebelumnya (yang jawabannya tidak sampai) sudah diterima dengan isi lain. Periksa daftar sebelum mengirim lagi.',
  IDEMPOTENCY_REQUEST_IN_PROGRESS: 'Permintaan yang sama masih diproses.',
  IDEMPOTENCY_ALREADY_CREATED: 'Sudah dibuat oleh permintaan sebelumnya.',
  RATE_LIMITED: 'Terlalu banyak permintaan. Coba lagi sebentar lagi.',
  DATABASE_UNAVAILABLE: 'Layanan sedang sibuk. Coba lagi sebentar lagi.',
  DATABASE_BUSY: 'Permintaan bertabrakan dengan permintaan lain dan dihentikan. Kirim lagi.',
};

type Rule = readonly [RegExp, (match: RegExpMatchArray) => string];

/** Why a webhook address is refused (src/sellers/network-ranges.ts), as the seller reads it. */
const WEBHOOK_TARGETS_ID: Readonly<Record<string, string>> = {
  'an unspecified address': 'alamat kosong (0.0.0.0 atau ::)',
  'a loopback address': 'alamat loopback (server itu sendiri)',
  'a private address': 'alamat jaringan pribadi',
  'a private (unique-local) address': 'alamat jaringan pribadi (unique-local)',
  'a carrier-grade NAT address': 'alamat NAT operator (carrier-grade NAT)',
  'a link-local or cloud metadata address': 'alamat link-local atau metadata cloud',
  'a link-local address': 'alamat link-local',
  'a site-local address': 'alamat site-local',
  'a cloud metadata address': 'alamat metadata cloud',
  'a multicast address': 'alamat multicast',
  'a reserved or broadcast address': 'alamat cadangan atau broadcast',
  'a reserved address': 'alamat cadangan (reserved)',
  'a documentation address': 'alamat contoh untuk dokumentasi',
  'a deprecated IPv4-compatible address': 'alamat IPv4-compatible yang sudah usang',
  'a local NAT64 address': 'alamat NAT64 lokal',
  'a 6to4 address of a non-public IPv4 address': 'alamat 6to4 menuju alamat IPv4 yang bukan publik',
  'not an IP address': 'sesuatu yang bukan alamat IP',
};

/** A webhook address the API refuses to send to, and why (an unknown reason as the API said it). */
const webhookTarget = (why: string) =>
  `Mengarah ke ${WEBHOOK_TARGETS_ID[why] ?? `alamat yang tidak diizinkan (${why})`}; webhook hanya dikirim ke alamat internet publik.`;

/** A whole number as Indonesians write it (`9.007.199.254.740.991`), exact however large. */
const number = (digits: string) => BigInt(digits).toLocaleString('id-ID');

const rupiah = (digits: string) => `Rp ${number(digits)}`;
/** A CSV separator the API names in a row's cell-count error. */
const SEPARATOR_ID: Readonly<Record<string, string>> = { comma: 'koma', semicolon: 'titik koma', tab: 'tab' };

/**
 * A field's problem, by the API's wording of the rule (class-validator's and Kirim's own), said without
 * the field's name: the dashboard shows it under the field's label. First match wins.
 */
const FIELD_RULES_ID: readonly Rule[] = [
  // A bulk file's header, before the generic "is required" below.
  [/^column is required$/, () => 'Kolom ini wajib ada.'],
  [/^is not a known column$/, () => 'Bukan kolom yang dikenal.'],
  [/^column is given twice$/, () => 'Kolom ini ditulis dua kali.'],
  [/^appears again \(first in row (\d+)\)$/, (m) => `Sudah ada di baris ${m[1]}.`],
  [/^(.+) has no service (\S+)$/, (m) => `Kurir ${m[1]} tidak punya layanan ${m[2]}.`],
  [/ is required$/, () => 'Wajib diisi.'],
  [/ must be longer than or equal to 1 characters$/, () => 'Wajib diisi.'],
  [/ must be longer than or equal to (\d+) characters$/, (m) => `Minimal ${m[1]} karakter.`],
  [/ must be shorter than or equal to (\d+) characters$/, (m) => `Maksimal ${m[1]} karakter.`],
  [/ must be an email address$/, () => 'Bukan alamat email yang benar.'],
  [
    / must have at least (\d+) different characters besides spaces/,
    (m) => `Harus memuat setidaknya ${m[1]} karakter berbeda selain spasi.`,
  ],
  [/ must be one line: no line breaks or tabs$/, () => 'Harus satu baris: tanpa baris baru atau tab.'],
  [
    / must not contain control characters or text-direction overrides$/,
    () => 'Tidak boleh memuat karakter kontrol atau pembalik arah teks.',
  ],
  [
    / must not contain invisible, control or space characters$/,
    () => 'Tidak boleh memuat spasi atau karakter tak terlihat.',
  ],
  [/ must be a string$/, () => 'Harus berupa teks.'],
  [
    / must have a letter, digit or sign in it, not only invisible characters$/,
    () => 'Harus berisi huruf, angka atau tanda, bukan hanya karakter tak terlihat.',
  ],
  [/ must be a whole number$/, () => 'Harus bilangan bulat, tanpa koma.'],
  [/ must be a number$/, () => 'Harus berupa angka.'],
  [/ must be true or false$/, () => 'Harus ya atau tidak.'],
  [/ must be a JSON object$/, () => 'Isian tidak lengkap.'],
  [/ must be one of the following values: (.+)$/, (m) => `Pilih salah satu: ${m[1]}.`],
  [/ must be one of (.+)$/, (m) => `Pilih salah satu: ${m[1]}.`],
  [/ must be an Indonesian phone number/, () => 'Harus nomor telepon Indonesia (08…, 628… atau +628…).'],
  [/ must be an Indonesian province/, () => 'Harus nama provinsi di Indonesia (mis. "Jawa Barat").'],
  [/ must be a 5-digit Indonesian postal code$/, () => 'Harus kode pos 5 angka.'],
  [/ must be (\d+) to (\d+) digits$/, (m) => `Harus ${m[1]} sampai ${m[2]} angka.`],
  [
    / must be 1 to (\d+) letters, digits, dashes or underscores$/,
    (m) => `1 sampai ${m[1]} huruf, angka, tanda hubung (-) atau garis bawah (_).`,
  ],
  [/ must be a UUID$/, () => 'Pilihan tidak dikenali.'],
  [/ must not be less than 0$/, () => 'Harus 0 atau lebih.'],
  [/ must not be less than (\d+)$/, (m) => `Minimal ${number(m[1])}.`],
  [/ must not be greater than (\d+)$/, (m) => `Maksimal ${number(m[1])}.`],
  [/ must be an http\(s\) URL$/, () => 'Harus URL yang diawali http:// atau https://.'],
  [/^must be a valid URL$/, () => 'Harus URL yang benar, mis. https://toko-anda.id/webhook.'],
  [/^must be an https URL$/, () => 'Harus URL yang diawali https://.'],
  [
    /^must be an https URL \(plain http is for private-network receivers\)$/,
    () => 'Harus URL yang diawali https:// (http:// hanya untuk penerima di jaringan pribadi).',
  ],
  [
    /^must not contain credentials \(user:password@\)$/,
    () => 'Tidak boleh memuat nama pengguna dan kata sandi (user:password@).',
  ],
  [/^must name a host$/, () => 'Harus menyebut nama server, mis. https://toko-anda.id/webhook.'],
  [/^points to (.+)$/, (m) => webhookTarget(m[1])],
  [
    /^host (\S+) does not resolve to public internet addresses$/,
    (m) => `Server ${m[1]} tidak ditemukan di internet publik. Periksa ejaannya.`,
  ],
  // A courier's remittance report (src/remittances/remittance-report.ts), each by its row and column.
  [/^is empty$/, () => 'Kosong.'],
  [/^is longer than (\d+) characters$/, (m) => `Lebih dari ${m[1]} karakter.`],
  [/^may hold only letters, digits and hyphens$/, () => 'Hanya boleh huruf, angka dan tanda hubung (-).'],
  [/^must be a positive amount of rupiah$/, () => 'Harus jumlah rupiah lebih dari 0.'],
  [/^is not an amount of rupiah\b/, () => 'Bukan jumlah rupiah (mis. 150000, 150.000 atau Rp 150.000).'],
  [/^has a fraction of a rupiah\b/, () => 'Ada pecahan rupiah; jumlah harus rupiah bulat.'],
  [/^is too large$/, () => 'Terlalu besar.'],
  [
    /^is more than one parcel's COD can be \(at most (\d+)\)$/,
    (m) => `Melebihi COD satu paket (maksimal ${rupiah(m[1])}).`,
  ],
  [
    /^must be a date \(YYYY-MM-DD, DD\/MM\/YYYY or ISO 8601\)$/,
    () => 'Harus tanggal: YYYY-MM-DD, DD/MM/YYYY atau ISO 8601.',
  ],
  [
    /^is after today \((\d{4}-\d{2}-\d{2})\): a report lists cash already remitted$/,
    (m) => `Setelah hari ini (${m[1]}): laporan hanya memuat dana yang sudah disetor.`,
  ],
  [
    /^is not readable CSV: ([^]*)$/,
    (m) => {
      // The parser's words are English; the line it stopped at is what the reader needs of them.
      const line = /\bline (\d+)/.exec(m[1]);
      // The parser counts the file's lines (the header is 1), not the rows of data: said so.
      return `Bukan CSV yang dapat dibaca${line ? ` (baris ke-${line[1]} dalam berkas, termasuk judul kolom)` : ''}: periksa tanda kutip dan jumlah kolom tiap baris.`;
    },
  ],
  [/^has no data rows$/, () => 'Tidak ada baris data di bawah judul kolom.'],
  [/^is larger than (\d+) bytes$/, (m) => `Berkas lebih besar dari ${number(m[1])} byte.`],
  [
    /^column (\d+) has no name in the header row but holds a value$/,
    (m) => `Kolom ke-${m[1]} tidak berjudul di baris judul, tetapi berisi nilai.`,
  ],
  // A bulk import of too many rows (a CSV is read only up to the first row too many).
  [
    /^has (more than )?(\d+) rows; at most (\d+) per request$/,
    (m) =>
      `${m[1] ? 'Lebih dari' : 'Ada'} ${number(m[2])} baris; maksimal ${number(m[3])} baris sekali kirim.`,
  ],
  [
    /^has more than (\d+) blank rows; a sheet's rows of empty cells count here$/,
    (m) => `Lebih dari ${number(m[1])} baris kosong; baris berisi sel kosong dari spreadsheet ikut dihitung.`,
  ],
  [
    /^has more than (\d+) rows; send the report in parts$/,
    (m) => `Lebih dari ${number(m[1])} baris; kirim laporan dalam beberapa bagian.`,
  ],
  [
    /^the amounts add up to more than can be settled at once$/,
    () => 'Jumlah semua baris terlalu besar untuk dicocokkan sekaligus; bagi menjadi beberapa file.',
  ],
  [/^and (\d+) more problems$/, (m) => `Dan ${m[1]} masalah lain.`],
  [/^column appears (\d+) times \((.+)\)$/, (m) => `Muncul ${m[1]} kali (${m[2]}).`],
  [
    /^column is required: a header named one of (.+)$/,
    (m) => `Wajib ada: judul kolom salah satu dari ${m[1]}.`,
  ],
  [/^property \S+ should not exist$/, () => 'Isian ini tidak dikenal.'],
  [/^must be at least (\d+) rupiah$/, (m) => `Minimal ${rupiah(m[1])}.`],
  [
    /^must be at most the withdrawable balance \((\d+) rupiah\)$/,
    (m) => `Melebihi saldo yang bisa ditarik (${rupiah(m[1])}).`,
  ],
  [/^must be at most the withdrawable balance$/, () => 'Melebihi saldo yang bisa ditarik.'],
  [/^is not your password$/, () => 'Bukan kata sandi Anda saat ini.'],
  [/^names no shipment$/, () => 'Tidak ada pengiriman dengan ID ini.'],
  [/^is given only with resolution credit_seller$/, () => 'Hanya diisi bila dana dikreditkan ke penjual.'],
  [/^the line was resolved before \((\w+)\)$/, () => 'Baris ini sudah diselesaikan sebelumnya.'],
  [/^is not a COD shipment$/, () => 'Bukan pengiriman COD.'],
  [
    /^is not delivered \((\w+)\): its line is matched once Kirim learns of the delivery$/,
    () => 'Belum terkirim: barisnya dicocokkan otomatis setelah Kirim tahu paket terkirim.',
  ],
  [
    /^was never booked with (\S+) under (\S+)$/,
    (m) => `Tidak pernah dipesan ke ${m[1]} dengan resi ${m[2]}.`,
  ],
  [
    /^was re-booked away from (\S+) and that booking is (\w+): cancel it first/,
    (m) =>
      `Sudah dipesan ulang dari ${m[1]} dan pemesanan barunya belum dibatalkan: batalkan dulu, agar pengantaran kurir lain tidak mengkreditkannya lagi.`,
  ],
  [
    /^has a COD amount of (\d+), not the line's (\d+)$/,
    (m) => `Nilai COD-nya ${rupiah(m[1])}, bukan ${rupiah(m[2])} seperti baris ini.`,
  ],
  [/^its seller was already credited its COD cash$/, () => 'Penjualnya sudah menerima uang COD paket ini.'],
  [/^its COD credit was reversed twice$/, () => 'Kredit COD-nya sudah dibatalkan dua kali.'],
  [
    /^is no longer the open delivery_contradicted alert of the shipment$/,
    () => 'Bukan lagi peringatan terbuka pengiriman ini.',
  ],
  [/^must differ from the current password$/, () => 'Harus berbeda dari kata sandi saat ini.'],
  [
    /^has (\d+) cells where the header has (\d+) \(a delimiter missing\?\)$/,
    (m) => `Baris ini punya ${m[1]} sel, padahal header punya ${m[2]} kolom: ada pemisah yang hilang?`,
  ],
  [
    /^has (\d+) cells where the header has (\d+) \(a value past the last column: an? (comma|semicolon|tab) /,
    (m) =>
      `Baris ini punya ${m[1]} sel, padahal header punya ${m[2]} kolom: ada nilai setelah kolom terakhir. Nilai yang memuat ${SEPARATOR_ID[m[3]]} harus diapit tanda kutip ganda.`,
  ],
  [
    /^must be (.+), the city the parcel was booked and priced for/,
    (m) =>
      `Harus di ${m[1]}, kota tujuan paket saat dipesan. Untuk kirim ke kota lain, retur lalu kirim ulang.`,
  ],
  [
    /^(.+) has no location code for this district \(area_not_mapped\)/,
    (m) =>
      `${m[1]} tidak punya kode lokasi untuk kecamatan ini, jadi alamat ini tidak dapat dikirim ke kurir.`,
  ],
  [
    /^is required: (.+) takes a corrected address by its location code for the district$/,
    (m) => `Wajib diisi: ${m[1]} menerima koreksi alamat lewat kode lokasi kecamatannya.`,
  ],
  [/^is already used by another shipment$/, () => 'Sudah dipakai pengiriman lain.'],
  [/^is already registered$/, () => 'Sudah terdaftar.'],
  [/^is already registered for this bank$/, () => 'Sudah terdaftar untuk bank ini.'],
  [/^is not one of your pickup addresses$/, () => 'Bukan salah satu alamat pickup Anda.'],
  [/^is not one of your bank accounts$/, () => 'Bukan salah satu rekening Anda.'],
  [/^must be before `to`$/, () => 'Harus sebelum tanggal akhir.'],
  [
    / must be an ISO 8601 date-time \(e\.g\. .*\) or date$/,
    () => 'Harus tanggal yang benar (mis. 2026-12-01).',
  ],
  [/ must be a calendar date \(YYYY-MM-DD\)$/, () => 'Harus tanggal yang ada di kalender (YYYY-MM-DD).'],
  [
    /^is not a district we know in that city and province(: check the suggestions)?$/,
    (m) => `Kecamatan ini tidak kami kenal di kota dan provinsi itu${m[1] ? ': lihat sarannya' : ''}.`,
  ],
  [/^names more than one district/, () => 'Ada beberapa kecamatan dengan nama ini: pilih salah satu saran.'],
  [
    /^is not a city or regency we know in that province(: give the district too)?(?:, or choose one of the suggestions|: check the suggestions)?$/,
    (m) =>
      `Kota atau kabupaten ini tidak kami kenal di provinsi itu${m[1] ? ': isi juga kecamatannya' : ''}${
        m[0].endsWith('suggestions') ? (m[1] ? ', atau pilih salah satu saran' : ': lihat sarannya') : ''
      }.`,
  ],
  [
    /^names more than one city or regency/,
    () => 'Ada kota dan kabupaten dengan nama ini: isi kecamatannya, atau pilih salah satu saran.',
  ],
];

/** What the dashboard says of an API error with `code` (its `message` when nothing better is known). */
export function apiErrorText(language: Language, code: string, message: string): string {
  if (language !== 'id') return message;
  return ERRORS_ID[code] ?? message;
}

/**
 * What to say of a failed request: the dictionary's words for no answer, a server's or gateway's failure
 * (the API's own message for it is English, for the log; a gateway's is no message) and what is no API
 * error; otherwise the API's error in the reader's language where known.
 */
export function failureText(
  language: Language,
  error: unknown,
): { key: 'error.network' | 'error.server' | 'error.unexpected' } | { text: string } {
  if (!(error instanceof ApiError)) return { key: 'error.unexpected' };
  if (error.status === 0) return { key: 'error.network' };
  if (error.status >= 500 && (error.code === 'INTERNAL' || error.code === `HTTP_${error.status}`))
    return { key: 'error.server' };
  return { text: apiErrorText(language, error.code, error.message) };
}

/** What the dashboard shows under a field the API refused with `message`. */
export function fieldErrorText(language: Language, message: string): string {
  if (language !== 'id') return message;
  for (const [pattern, say] of FIELD_RULES_ID) {
    const match = message.match(pattern);
    if (match) return say(match);
  }
  return message;
}

/** Whether the Indonesian for a field message is known (for tests: the API's wordings all are). */
export const knowsFieldMessage = (message: string): boolean =>
  FIELD_RULES_ID.some(([pattern]) => pattern.test(message));
