import { Type as Class } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SelectQueryBuilder } from 'typeorm';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ValidationFailedError } from './errors/app-error';
import { isUuid } from './id-param';
import { QueryInteger } from './validators';

export const MAX_PAGE_LIMIT = 500;
export const DEFAULT_PAGE_LIMIT = 50;

export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_PAGE_LIMIT, default: DEFAULT_PAGE_LIMIT })
  @IsOptional()
  @QueryInteger()
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from a previous page (nextCursor)' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A keyset position: newest first by creation time, ties broken by id. */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

/** As toISOString writes it, years 1000–9999: what PostgreSQL reads back without complaint. */
const ISO_INSTANT = /^[1-9]\d{3}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function encodeCursor(pos: CursorPosition): string {
  return Buffer.from(JSON.stringify([pos.createdAt.toISOString(), pos.id])).toString('base64url');
}

/**
 * @throws ValidationFailedError (field `cursor`) for anything not made by encodeCursor: an id that is not
 * a UUID or a time PostgreSQL cannot read was a 500 from the query it was put in.
 */
export function decodeCursor(cursor: string): CursorPosition {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) throw new Error();
    const createdAt = keysetValue('date', parsed[0]);
    const id = keysetValue('uuid', parsed[1]);
    if (createdAt === null || id === null) throw new Error();
    return { createdAt: createdAt as Date, id: id as string };
  } catch {
    throw invalidCursor();
  }
}

/** The 400 for a cursor that cannot be read, or that names a row not on the list it pages. */
export const invalidCursor = () =>
  new ValidationFailedError([{ field: 'cursor', message: 'is not a valid cursor' }]);

/** Turns `limit + 1` fetched rows into a page and its next cursor. */
export function toPage<R extends CursorPosition, T>(rows: R[], limit: number, view: (row: R) => T): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return {
    items: items.map(view),
    nextCursor: more ? encodeCursor(items[items.length - 1]) : null,
  };
}

/** One sort value of a keyset cursor: a timestamp, a whole number, or an id. */
export type KeysetValue = Date | number | string;
export type KeysetKind = 'date' | 'int' | 'uuid';

/**
 * A cursor for any keyset order (not only newest first): the sort values of a page's last row, tagged
 * with the order's name so a cursor made for one order is refused by another.
 */
export function encodeKeyset(order: string, values: KeysetValue[]): string {
  const plain = values.map((v) => (v instanceof Date ? v.toISOString() : v));
  return Buffer.from(JSON.stringify([order, ...plain])).toString('base64url');
}

/**
 * The sort values of a cursor made by encodeKeyset for `order`, typed as `kinds` says.
 * @throws ValidationFailedError (field `cursor`) for anything else.
 */
export function decodeKeyset(cursor: string, order: string, kinds: KeysetKind[]): KeysetValue[] {
  const bad = invalidCursor;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (!Array.isArray(parsed) || parsed.length !== kinds.length + 1 || parsed[0] !== order) throw bad();
  return kinds.map((kind, i) => {
    const value = keysetValue(kind, parsed[i + 1]);
    if (value === null) throw bad();
    return value;
  });
}

/** A cursor's sort value read as `kind`, or null for anything a query could not take as one. */
function keysetValue(kind: KeysetKind, v: unknown): KeysetValue | null {
  if (kind === 'int' && Number.isSafeInteger(v)) return v as number;
  if (kind === 'uuid' && isUuid(v)) return v;
  if (kind === 'date' && typeof v === 'string' && ISO_INSTANT.test(v)) {
    const at = new Date(v);
    if (!Number.isNaN(at.getTime())) return at;
  }
  return null;
}

/** Turns `limit + 1` fetched rows into a page whose cursor holds the last kept row's sort values. */
export function toKeysetPage<R, T>(
  rows: R[],
  limit: number,
  view: (row: R) => T,
  order: string,
  sortValues: (row: R) => KeysetValue[],
): Page<T> {
  const more = rows.length > limit;
  const items = more ? rows.slice(0, limit) : rows;
  return {
    items: items.map(view),
    nextCursor: more ? encodeKeyset(order, sortValues(items[items.length - 1])) : null,
  };
}

/**
 * Reads one page of `qb` newest first; `alias` must have `createdAt` and `id`.
 * @throws ValidationFailedError for a bad cursor.
 */
export async function paginate<E extends CursorPosition, T>(
  qb: SelectQueryBuilder<E>,
  alias: string,
  query: PageQueryDto,
  view: (row: E) => T,
): Promise<Page<T>> {
  const limit = query.limit ?? DEFAULT_PAGE_LIMIT;
  if (query.cursor) {
    const pos = decodeCursor(query.cursor);
    qb.andWhere(`(${alias}.createdAt, ${alias}.id) < (:cursorAt, :cursorId)`, {
      cursorAt: pos.createdAt,
      cursorId: pos.id,
    });
  }
  const rows = await qb
    .orderBy(`${alias}.createdAt`, 'DESC')
    .addOrderBy(`${alias}.id`, 'DESC')
    .take(limit + 1)
    .getMany();
  return toPage(rows, limit, view);
}

const pageDtos = new Map<Class<unknown>, Class<unknown>>();

/** The OpenAPI shape of a page of `item` (`{ items, nextCursor }`), one class per item type. */
export function PageDto(item: Class<unknown>): Class<unknown> {
  let dto = pageDtos.get(item);
  if (!dto) {
    class PageOfItems {
      @ApiProperty({ type: [item] }) items!: unknown[];
      @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
    }
    Object.defineProperty(PageOfItems, 'name', { value: `${item.name.replace(/Dto$/, '')}PageDto` });
    pageDtos.set(item, (dto = PageOfItems));
  }
  return dto;
}
