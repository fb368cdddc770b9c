import { BusinessRuleError } from 'src/common/errors/app-error';
import type { AreaSuggestionDto } from './areas.dto';

/** What is wrong, by the field to correct: a district not found in its city, or a city not in its province. */
const MESSAGES = {
  district: {
    unknown: 'is not a district we know in that city and province: check the suggestions',
    ambiguous: 'names more than one district: choose one of the suggestions',
  },
  city: {
    unknown: 'is not a city or regency we know in that province: check the suggestions',
    ambiguous:
      'names more than one city or regency (a Kota and a Kabupaten): give the district, or choose one of the suggestions',
  },
} as const;

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
    const message = MESSAGES[field.endsWith('city') ? 'city' : 'district'][reason];
    super('AREA_UNRESOLVED', `The place could not be resolved: ${field} ${message}`, [
      { field, message, suggestions },
    ]);
  }
}
