import { BusinessRuleError } from 'src/common/errors/app-error';
import type { AreaSuggestionDto } from './areas.dto';

/**
 * A typed place names no district of the directory, or several (422). `details[0].field` is the field
 * to correct (`<path>.district` or `<path>.city`), with up to five districts the seller may have meant.
 */
export class AreaUnresolvedError extends BusinessRuleError {
  constructor(
    readonly field: string,
    readonly reason: 'unknown' | 'ambiguous',
    readonly suggestions: AreaSuggestionDto[],
  ) {
    const message =
      reason === 'ambiguous'
        ? 'names more than one district: choose one of the suggestions'
        : 'is not a district we know in that city and province: check the suggestions';
    super('AREA_UNRESOLVED', `The place could not be resolved: ${field} ${message}`, [
      { field, message, suggestions },
    ]);
  }
}
