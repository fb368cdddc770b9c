import { Type } from '@nestjs/common';
import { ApiPropertyOptional, OmitType } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  getMetadataStorage,
  IsString,
  MaxLength,
  MinLength,
  registerDecorator,
  ValidateIf,
  ValidationOptions,
} from 'class-validator';
import { canonicalProvince, isIndonesianPostalCode, normalizeIndonesianPhone } from './indonesia';
import { parseInstant } from './wib';

/**
 * A query string's whole number, written in decimal digits; anything else is left as text for @IsInt to
 * refuse. `Number()` (class-transformer's @Type) would take "0x10", "1e1" and "" as 16, 10 and 0.
 */
export const QueryInteger = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^-?\d{1,15}$/.test(value) ? Number(value) : value,
  );

/** Trims strings; leaves other types for the type validators to reject. */
export const Trim = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/**
 * A code of a fixed set (courier, status) as a person types it (`JNE`, ` Delivered `): trimmed and in lower
 * case, the set's own spelling; other types are left for the validators to reject.
 */
export const AnyCase = () =>
  Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  );

function stringRule(
  name: string,
  test: (v: string) => boolean,
  message: string,
  options?: ValidationOptions,
) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} ${message}`, ...options },
      validator: { validate: (value: unknown) => typeof value === 'string' && test(value) },
    });
}

/**
 * An array whose items are all different by `key` (an item the same under it counts twice), checked with a
 * set: class-validator's @ArrayUnique compares every item with every other, and runs even when @ArrayMaxSize
 * has already refused the array, so a large array held the event loop for seconds.
 */
export function ArrayDistinct(
  key: (item: unknown) => unknown = (item) => item,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'arrayDistinct',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: `All ${propertyName as string}'s elements must be unique`, ...options },
      validator: {
        validate: (value: unknown) => !Array.isArray(value) || new Set(value.map(key)).size === value.length,
      },
    });
}

/** Accepts 08…, 628…, +62 8… and stores E.164. Invalid input is kept as typed so the error can name it. */
export function IsIndonesianPhone(options?: ValidationOptions): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (normalizeIndonesianPhone(value) ?? value) : value,
    )(target, key);
    stringRule(
      'isIndonesianPhone',
      (v) => /^\+62\d{8,12}$/.test(v),
      'must be an Indonesian phone number (08…, 628… or +628…)',
      options,
    )(target, key as string);
  };
}

/**
 * A moment: an ISO 8601 calendar date or date-time, as parseInstant reads it (a date is 00:00 Asia/Jakarta,
 * a date-time without an offset Jakarta's wall clock). A day the calendar does not have, hour 24, week and
 * ordinal dates and anything after the time are refused, never rolled over or left to a query as an
 * invalid date.
 */
export function IsInstant(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    stringRule(
      'isInstant',
      (v) => parseInstant(v) !== null,
      'must be an ISO 8601 date-time (e.g. 2026-12-01T00:00:00+07:00) or date',
      options,
    )(target, key as string);
}

/** A `YYYY-MM-DD` day the calendar has (2026-02-30 and 2026-13-01 are refused, not rolled over). */
export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return (target, key) =>
    stringRule(
      'isCalendarDate',
      (v) => /^\d{4}-\d{2}-\d{2}$/.test(v) && parseInstant(v) !== null,
      'must be a calendar date (YYYY-MM-DD)',
      options,
    )(target, key as string);
}

/** Five digits; a JSON number is accepted and stored as a string. */
export function IsPostalCode(options?: ValidationOptions): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'number' && Number.isInteger(value)
        ? String(value)
        : typeof value === 'string'
          ? value.trim()
          : value,
    )(target, key);
    stringRule(
      'isPostalCode',
      isIndonesianPostalCode,
      'must be a 5-digit Indonesian postal code',
      options,
    )(target, key as string);
  };
}

/** One of the 38 provinces under any common spelling; stored under its canonical name. */
export function IsProvince(options?: ValidationOptions): PropertyDecorator {
  return (target, key) => {
    Transform(({ value }: { value: unknown }) =>
      typeof value === 'string' ? (canonicalProvince(value) ?? value) : value,
    )(target, key);
    stringRule(
      'isProvince',
      (v) => canonicalProvince(v) === v,
      'must be an Indonesian province (e.g. "Jawa Barat")',
      options,
    )(target, key as string);
  };
}

/** Validates the property only when it is present; unlike @IsOptional, an explicit null is still checked. */
export const Optional = () => ValidateIf((_object: object, value: unknown) => value !== undefined);

/** Present and not null → validated; absent or null → accepted (for fields that may be cleared). */
export const Nullable = () =>
  ValidateIf((_object: object, value: unknown) => value !== undefined && value !== null);

/**
 * The PATCH form of a create DTO: every property optional, but a present value (null included) must
 * pass the create rules. Swagger metadata is kept.
 */
export function PatchOf<T>(base: Type<T>): Type<Partial<T>> {
  const Patch = OmitType(base, [] as never[]) as Type<Partial<T>>;
  const properties = new Set(
    getMetadataStorage()
      .getTargetValidationMetadatas(base, '', true, false)
      .map((m) => m.propertyName),
  );
  for (const property of properties) {
    Optional()(Patch.prototype as object, property);
    ApiPropertyOptional()(Patch.prototype as object, property);
  }
  Object.defineProperty(Patch, 'name', { value: base.name.replace(/^Create/, 'Update') });
  return Patch;
}

/**
 * Control characters (tab and line breaks aside) and the text-direction overrides and isolates: kept, they
 * ring terminals, colour logs and show a name reversed ("\u202e") on every page that prints it.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const HIDDEN_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** Text a person typed to be shown again: no control character, no text-direction override. */
export const PlainText = (options?: ValidationOptions) => (target: object, key: string) =>
  stringRule(
    'isPlainText',
    (v) => !HIDDEN_CONTROLS.test(v),
    'must not contain control characters or text-direction overrides',
    options,
  )(target, key);

/** Something a reader can see: a letter, digit, punctuation or symbol (an emoji counts). */
const VISIBLE = /[\p{L}\p{N}\p{P}\p{S}]/u;
/** Letters and signs that show nothing: Hangul fillers and the blank Braille pattern. */
const BLANK_LOOKING = /[\u115f\u1160\u3164\uffa0\u2800]/gu;

/** Whether a reader can see something in `v`: a zero-width space or a Hangul filler alone is nothing. */
export const hasVisibleText = (v: string): boolean => VISIBLE.test(v.replace(BLANK_LOOKING, ''));

/** Text with something a reader can see in it: a zero-width space or a Hangul filler alone is no name. */
export const HasVisibleText = () =>
  stringRule(
    'hasVisibleText',
    (v) => v === '' || hasVisibleText(v),
    'must have a letter, digit or sign in it, not only invisible characters',
  );

/**
 * A trimmed, non-empty string of at most `max` characters, of plain text, with something to read in it: a
 * zero-width space alone is not a name or a reason.
 */
export const Text = (max: number) => (target: object, key: string) => {
  Trim()(target, key);
  IsString()(target, key);
  MinLength(1)(target, key);
  MaxLength(max)(target, key);
  PlainText()(target, key);
  HasVisibleText()(target, key);
};

/** Line breaks (as CSV cells and JSON strings carry them, Unicode's own separators too) and tabs. */
const LINE_BREAKS_AND_TABS = /[\t\n\r\u2028\u2029]/;

/** Whether `v` holds no line break (Unicode's separators included) and no tab. */
export const isOneLine = (v: string): boolean => !LINE_BREAKS_AND_TABS.test(v);

/** Text that is printed on one line (a label, a courier's order): no line break or tab in it. */
export const OneLine = (options?: ValidationOptions) => (target: object, key: string) =>
  stringRule(
    'isOneLine',
    (v) => isOneLine(v),
    'must be one line: no line breaks or tabs',
    options,
  )(target, key);

/**
 * Text(max) of a field printed on one line: a name, an address, a city on a shipping label or in a courier's
 * order, where a line break ("Budi\r\nSantoso" from a quoted CSV cell) splits or misplaces what is printed.
 * Refused, as every other control character is, rather than quietly changed.
 */
export const LineText = (max: number) => (target: object, key: string) => {
  Text(max)(target, key);
  OneLine()(target, key);
};

/**
 * A street address's lines as one: each trimmed of the spaces and commas around it, blank ones dropped, joined
 * with ", " ("Jl. Merdeka 1,\r\nRT 02/RW 03" is "Jl. Merdeka 1, RT 02/RW 03"). Text without a line break or
 * tab is left as it is.
 */
export function joinAddressLines(text: string): string {
  if (!LINE_BREAKS_AND_TABS.test(text)) return text;
  return text
    .split(LINE_BREAKS_AND_TABS)
    .map(bareLine)
    .filter((line) => line !== '')
    .join(', ');
}

/** A space (as String.trim takes it) or a comma: what a line of an address is stripped of at either end. */
const isLineEdge = (c: string) => c === ',' || c.trim() === '';

/**
 * The line without spaces or commas at either end, walked once from each end: a regex like /[\s,]+$/ tries
 * every start in a long run of spaces, quadratic in a body far beyond the field's length.
 */
function bareLine(line: string): string {
  let start = 0;
  let end = line.length;
  while (start < end && isLineEdge(line[start])) start += 1;
  while (end > start && isLineEdge(line[end - 1])) end -= 1;
  return line.slice(start, end);
}

/** What the API's documentation says of a street address's line breaks (StreetAddress). */
export const ADDRESS_LINES_JOINED =
  'Stored on one line: its lines (a marketplace export’s quoted cell spanning lines; tabs alike) are joined with ", ", each trimmed of spaces and commas, blank ones dropped';

/**
 * LineText(max) of a street address, whose lines are joined first (joinAddressLines): a marketplace's export
 * keeps the buyer's lines in a quoted cell ("Jl. Merdeka 1\nRT 02/RW 03"), and there a line break is how the
 * address was written, not a mistake. A name, district or city keeps refusing one.
 */
export const StreetAddress = (max: number) => (target: object, key: string) => {
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? joinAddressLines(value) : value))(
    target,
    key,
  );
  LineText(max)(target, key);
};
