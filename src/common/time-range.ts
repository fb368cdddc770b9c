import { ValidationFailedError } from './errors/app-error';

/**
 * A `from`–`to` window of a query (`to` exclusive), either end open: one that ends before it starts is a
 * 400 naming `from`, not an empty answer the caller could take for "nothing happened".
 * @throws ValidationFailedError (field `from`)
 */
export function checkTimeRange(from: Date | undefined, to: Date | undefined): void {
  if (from && to && from.getTime() >= to.getTime())
    throw new ValidationFailedError([{ field: 'from', message: 'must be before `to`' }]);
}
