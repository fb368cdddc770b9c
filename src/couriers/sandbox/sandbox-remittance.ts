import { wibDate } from 'src/common/wib';
import type { CourierCode } from '../courier-adapter';
import { randomStream } from './world';

/** A COD parcel the simulated courier delivered (and took the cash for). */
export interface DeliveredCod {
  awb: string;
  /** Rupiah. */
  codAmount: number;
  deliveredAt: Date;
}

/** How one courier words its remittance report. */
interface ReportFormat {
  header: [awb: string, amount: string, date: string];
  delimiter: ';' | ',';
  amount: (rupiah: number) => string;
  /** From the Jakarta `YYYY-MM-DD` of the remittance. */
  date: (ymd: string) => string;
  /** An airway bill in the courier's shape that its sequence never reaches (digits from `rng`). */
  unknownAwb: (rng: () => number) => string;
}

// A number's digits (at most 16 and a sign): the square of their count is nothing.
/* eslint-disable regexp/no-super-linear-move */
const dotted = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
const commaed = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
/* eslint-enable regexp/no-super-linear-move */
const dayFirst = (ymd: string) => `${ymd.slice(8, 10)}/${ymd.slice(5, 7)}/${ymd.slice(0, 4)}`;
const digits = (rng: () => number, n: number) =>
  Array.from({ length: n }, () => Math.floor(rng() * 10)).join('');

/**
 * Each courier's remittance report as its finance team sends it (the sandboxes' own wording; real couriers
 * send spreadsheets of this kind, each with its own headers, separators and number style).
 */
export const REMITTANCE_FORMATS: Record<CourierCode, ReportFormat> = {
  jne: {
    header: ['CNOTE_NO', 'COD_AMOUNT', 'TGL_SETOR'],
    delimiter: ';',
    amount: String,
    date: dayFirst,
    unknownAwb: (rng) => `889${digits(rng, 13)}`,
  },
  jnt: {
    header: ['waybill', 'cod_value', 'remitted_at'],
    delimiter: ',',
    amount: String,
    date: (ymd) => `${ymd}T16:00:00+07:00`,
    unknownAwb: (rng) => `JO9${digits(rng, 9)}`,
  },
  sap: {
    header: ['No Resi', 'Nilai COD', 'Tanggal'],
    delimiter: ';',
    amount: (n) => `Rp ${dotted(n)}`,
    date: (ymd) => ymd,
    unknownAwb: (rng) => `SAP9${digits(rng, 9)}`,
  },
  ninja: {
    header: ['Tracking ID', 'COD Amount', 'Remitted Date'],
    delimiter: ',',
    amount: (n) => `${commaed(n)}.00`,
    date: (ymd) => ymd,
    unknownAwb: (rng) => `NVID9${digits(rng, 9)}`,
  },
  idexpress: {
    header: ['AWB', 'Amount', 'Date'],
    delimiter: ';',
    amount: dotted,
    date: dayFirst,
    unknownAwb: (rng) => `IDE9${digits(rng, 11)}`,
  },
};

/** What a report with discrepancies got wrong on purpose (AWBs), so a test can check each is caught. */
export interface Discrepancies {
  missing?: string;
  wrongAmount?: string;
  duplicate?: string;
  unknown: string;
}

const DAY_MS = 86_400_000;

/** `X-Sandbox-Discrepancies`: `missing=…;wrong_amount=…;duplicate=…;unknown=…` (absent ones left out). */
export function discrepancyHeader(d: Discrepancies): string {
  return [
    d.missing && `missing=${d.missing}`,
    d.wrongAmount && `wrong_amount=${d.wrongAmount}`,
    d.duplicate && `duplicate=${d.duplicate}`,
    `unknown=${d.unknown}`,
  ]
    .filter(Boolean)
    .join(';');
}

const quoted = (cell: string, delimiter: string) =>
  cell.includes(delimiter) || cell.includes('"') ? `"${cell.replace(/"/g, '""')}"` : cell;

/**
 * The courier's remittance report for parcels delivered in a window: one line per parcel (delivery order),
 * remitted 1–3 days after delivery (seeded per parcel) and never after `today` (a report lists cash already
 * remitted: a parcel delivered in the last days is remitted on the report's day at the latest). With `discrepancySeed`, deterministically (the seed
 * and the window) one parcel is left out, one amount changed, one line repeated and one unknown AWB added,
 * each a different parcel as far as there are parcels.
 */
export function remittanceReport(
  courier: CourierCode,
  parcels: DeliveredCod[],
  window: { from: Date; to: Date },
  seed: string,
  discrepancySeed: string | null,
  /** The report's day, `YYYY-MM-DD` in Jakarta. */
  today: string,
): { csv: string; discrepancies: Discrepancies | null } {
  const format = REMITTANCE_FORMATS[courier];
  const ordered = [...parcels].sort(
    (a, b) => a.deliveredAt.getTime() - b.deliveredAt.getTime() || a.awb.localeCompare(b.awb),
  );
  let lines = ordered.map((p) => {
    const lag = 1 + Math.floor(randomStream(`${seed}:remit:${courier}:${p.awb}`)() * 3);
    const on = wibDate(new Date(p.deliveredAt.getTime() + lag * DAY_MS));
    return { awb: p.awb, amount: p.codAmount, on: on > today ? today : on };
  });
  let discrepancies: Discrepancies | null = null;
  if (discrepancySeed !== null) {
    const rng = randomStream(
      `${seed}:discrepancies:${courier}:${discrepancySeed}:${window.from.toISOString()}:${window.to.toISOString()}`,
    );
    const pool = lines.map((_, i) => i);
    const pick = () => (pool.length ? pool.splice(Math.floor(rng() * pool.length), 1)[0] : undefined);
    const [missing, wrong, duplicate] = [pick(), pick(), pick()];
    const unknown = {
      awb: format.unknownAwb(rng),
      amount: 500 * (20 + Math.floor(rng() * 980)),
      on: lines[0]?.on ?? [wibDate(window.from), today].sort()[0],
    };
    discrepancies = {
      ...(missing !== undefined ? { missing: lines[missing].awb } : {}),
      ...(wrong !== undefined ? { wrongAmount: lines[wrong].awb } : {}),
      ...(duplicate !== undefined ? { duplicate: lines[duplicate].awb } : {}),
      unknown: unknown.awb,
    };
    const changed = lines.flatMap((l, i) => {
      if (i === missing) return [];
      if (i === wrong) {
        const delta = 1000 * (1 + Math.floor(rng() * 49));
        return [{ ...l, amount: l.amount > delta ? l.amount - delta : l.amount + delta }];
      }
      return i === duplicate ? [l, l] : [l];
    });
    lines = [...changed, unknown];
  }
  const csv = [format.header, ...lines.map((l) => [l.awb, format.amount(l.amount), format.date(l.on)])]
    .map((cells) => cells.map((c) => quoted(c, format.delimiter)).join(format.delimiter))
    .join('\r\n');
  return { csv: `${csv}\r\n`, discrepancies };
}
