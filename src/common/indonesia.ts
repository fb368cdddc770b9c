/** Indonesian address and phone formats shared by every module that takes an address. */

/**
 * Normalizes an Indonesian phone number typed as 08…, 628…, +62 8…, 0062 8…, (021) … to E.164 (+62…).
 * Returns null when it cannot be an Indonesian number (9 to 13 digits after the country code's 0).
 */
export function normalizeIndonesianPhone(input: string): string | null {
  const compact = input.trim().replace(/[\s\-.()]/g, '');
  let national: string;
  if (/^\+62\d+$/.test(compact)) national = compact.slice(3);
  // 00 is the international prefix dialled from Indonesia: 0062 812… is +62 812…, not a landline 62….
  else if (/^0062\d+$/.test(compact)) national = compact.slice(4);
  else if (compact.startsWith('00'))
    return null; // another country's number
  else if (/^62\d+$/.test(compact)) national = compact.slice(2);
  else if (/^0\d+$/.test(compact)) national = compact.slice(1);
  else return null;
  if (national.startsWith('0')) national = national.slice(1);
  // Mobile numbers are 8xx with 9–12 digits; landlines start with an area code 2–9 and have 8–11 digits.
  if (/^8\d{8,11}$/.test(national) || /^[2-79]\d{7,10}$/.test(national)) return `+62${national}`;
  return null;
}

/** Indonesian postal codes are five digits, 10110 to 99999. */
export function isIndonesianPostalCode(value: string): boolean {
  return /^[1-9]\d{4}$/.test(value);
}

/** The 38 provinces, canonical names as used throughout Kirim, with common spellings that map to them. */
const PROVINCES: Record<string, string[]> = {
  Aceh: ['nanggroe aceh darussalam', 'nad', 'daerah istimewa aceh'],
  'Sumatera Utara': ['north sumatra', 'sumut'],
  'Sumatera Barat': ['west sumatra', 'sumbar'],
  Riau: [],
  'Kepulauan Riau': ['kepri', 'riau islands'],
  Jambi: [],
  'Sumatera Selatan': ['south sumatra', 'sumsel'],
  'Kepulauan Bangka Belitung': ['bangka belitung', 'babel'],
  Bengkulu: [],
  Lampung: [],
  'DKI Jakarta': [
    'jakarta',
    'dki',
    'daerah khusus ibukota jakarta',
    'daerah khusus jakarta',
    'jakarta raya',
    'dki jakarta raya',
  ],
  'Jawa Barat': ['west java', 'jabar'],
  Banten: [],
  'Jawa Tengah': ['central java', 'jateng'],
  'DI Yogyakarta': [
    'yogyakarta',
    'diy',
    'jogja',
    'yogya',
    'jogjakarta',
    'djogjakarta',
    'daerah istimewa yogyakarta',
  ],
  'Jawa Timur': ['east java', 'jatim'],
  Bali: [],
  'Nusa Tenggara Barat': ['ntb', 'west nusa tenggara'],
  'Nusa Tenggara Timur': ['ntt', 'east nusa tenggara'],
  'Kalimantan Barat': ['west kalimantan', 'kalbar'],
  'Kalimantan Tengah': ['central kalimantan', 'kalteng'],
  'Kalimantan Selatan': ['south kalimantan', 'kalsel'],
  'Kalimantan Timur': ['east kalimantan', 'kaltim'],
  'Kalimantan Utara': ['north kalimantan', 'kaltara'],
  'Sulawesi Utara': ['north sulawesi', 'sulut'],
  Gorontalo: [],
  'Sulawesi Tengah': ['central sulawesi', 'sulteng'],
  'Sulawesi Barat': ['west sulawesi', 'sulbar'],
  'Sulawesi Selatan': ['south sulawesi', 'sulsel'],
  'Sulawesi Tenggara': ['southeast sulawesi', 'sultra'],
  Maluku: [],
  'Maluku Utara': ['north maluku', 'malut'],
  Papua: ['irian jaya'],
  'Papua Barat': ['west papua', 'irian jaya barat'],
  'Papua Barat Daya': ['southwest papua'],
  'Papua Tengah': ['central papua'],
  'Papua Pegunungan': ['highland papua'],
  'Papua Selatan': ['south papua'],
};

export const PROVINCE_NAMES = Object.keys(PROVINCES);

const BY_SPELLING = new Map<string, string>();
for (const [name, aliases] of Object.entries(PROVINCES)) {
  for (const spelling of [name, ...aliases]) BY_SPELLING.set(spelling.toLowerCase(), name);
}

/** Words spelled more than one way in province names: "Sumatra Utara", "Kep. Riau". */
const PROVINCE_WORD_SPELLINGS: Record<string, string> = { sumatra: 'sumatera', kep: 'kepulauan' };

/**
 * The canonical province name for a spelling ("jabar", "West Java", "JAWA BARAT", "Prov. D.I. Yogyakarta",
 * "Sumatra Utara", "Kep. Riau"), or null.
 */
export function canonicalProvince(input: string): string | null {
  const words = input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    // Initials written with dots are one word: D.I. → di, D.K.I. → dki, D.I.Y (last dot left out) → diy.
    .replace(/\b[a-z]\.(?:\s?[a-z]\.)*\s?[a-z]\b\.?/g, (m) => m.replace(/[.\s]/g, ''))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ');
  while (words.length > 1 && /^(provinsi|propinsi|prov)$/.test(words[0])) words.shift();
  // A pasted address ends with the country.
  while (words.length > 1 && words[words.length - 1] === 'indonesia') words.pop();
  const key = words
    .map((w) => (Object.hasOwn(PROVINCE_WORD_SPELLINGS, w) ? PROVINCE_WORD_SPELLINGS[w] : w))
    .join(' ');
  // The old spelling still on some addresses (Djawa, Soelawesi): only its unambiguous letters.
  return BY_SPELLING.get(key) ?? BY_SPELLING.get(key.replace(/oe/g, 'u').replace(/dj/g, 'j')) ?? null;
}
