import { Param, PipeTransform } from '@nestjs/common';
import { NotFoundError } from './errors/app-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `value` is a UUID PostgreSQL can read (anything else put in a uuid query is a 500). */
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** An id that cannot exist is simply not found, like another seller's id. */
class ParseIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isUuid(value)) throw new NotFoundError('NOT_FOUND', 'No such resource');
    return value.toLowerCase();
  }
}

/** The `:id` route parameter as a UUID. */
export const IdParam = (name = 'id') => Param(name, new ParseIdPipe());

/** A positive whole number PostgreSQL's integer holds; anything else names nothing there is. */
class ParseOrdinalPipe implements PipeTransform<string, number> {
  transform(value: string): number {
    const n = /^[1-9][0-9]{0,9}$/.test(value) ? Number(value) : NaN;
    if (!(n <= 2_147_483_647)) throw new NotFoundError('NOT_FOUND', 'No such resource');
    return n;
  }
}

/** A route parameter numbering something from 1 (a report's line by its row). */
export const OrdinalParam = (name: string) => Param(name, new ParseOrdinalPipe());
