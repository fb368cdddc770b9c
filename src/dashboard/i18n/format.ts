import type { Language } from './translate';

/** Rupiah as Indonesians write it in either language: `Rp 150.000`, no decimals. */
const RUPIAH = new Intl.NumberFormat('id-ID', {
  style: 'currency',
  currency: 'IDR',
  maximumFractionDigits: 0,
  minimumFractionDigits: 0,
});

/** Whole rupiah (the API's integers) as `Rp 150.000`; a negative amount as `-Rp 5.000`. */
export function formatRupiah(amount: number): string {
  return RUPIAH.format(amount);
}

/** Counts with the language's grouping: `20.000` or `20,000`. */
const COUNT: Record<Language, Intl.NumberFormat> = {
  id: new Intl.NumberFormat('id-ID'),
  en: new Intl.NumberFormat('en-GB'),
};

export function formatCount(value: number, language: Language): string {
  return COUNT[language].format(value);
}

/** A 0..1 rate as a whole percentage in the language's style (`87%`), or `–` when unknown. */
export function formatRate(rate: number | null, language: Language): string {
  if (rate === null) return '–';
  return new Intl.NumberFormat(language === 'id' ? 'id-ID' : 'en-GB', {
    style: 'percent',
    maximumFractionDigits: 0,
  }).format(rate);
}

const LOCALE: Record<Language, string> = { id: 'id-ID', en: 'en-GB' };

// Built once per language: a formatter costs far more to make than to use (a list shows 50 dates).
const DATE_TIME: Record<Language, Intl.DateTimeFormat> = {
  id: dateTimeFormat('id'),
  en: dateTimeFormat('en'),
};

function dateTimeFormat(language: Language): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(LOCALE[language], {
    timeZone: 'Asia/Jakarta',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
}

/** An instant as a date and time in Jakarta (WIB), whatever the browser's own time zone. */
export function formatDateTime(iso: string | Date, language: Language): string {
  return `${DATE_TIME[language].format(new Date(iso))} WIB`;
}

/** The calendar date of an instant in Jakarta. */
export function formatDate(iso: string | Date, language: Language): string {
  return new Intl.DateTimeFormat(LOCALE[language], {
    timeZone: 'Asia/Jakarta',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
  }).format(new Date(iso));
}
