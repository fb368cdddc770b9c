import { BusinessRuleError } from 'src/common/errors/app-error';
import type { AreaSuggestionDto } from './areas.dto';

/**
 * What is wrong, by the field to correct: a district not found in its city, or a city not in its province.
 * The advice follows what the seller can do: look at the suggestions when there are any, and give the
 * district when a city alone was typed (a name like "Jakarta" is no regency: its district decides).
 */
function messageOf(
  kind: 'city' | 'district',
  reason: 'unknown' | 'ambiguous',
  suggested: boolean,
  districtGiven: boolean,
): string {
  if (kind === 'district')
    return reason === 'ambiguous'
      ? 'names more than one district: choose one of the suggestions'
      : `is not a district we know in that city and province${suggested ? ': check the suggestions' : ''}`;
  if (reason === 'ambiguous')
    return 'names more than one city or regency (a Kota and a Kabupaten): give the district, or choose one of the suggestions';
  const unknown = 'is not a city or regency we know in that province';
  if (!districtGiven)
    return `${unknown}: give the district too${suggested ? ', or choose one of the suggestions' : ''}`;
  return `${unknown}${suggested ? ': check the suggestions' : ''}`;
}

/**
 * A typed place names no district of the directory, or several (422). `details[0].field` is the field
 * to correct (`<path>.district` or `<path>.city`), with up to five districts the seller may have meant.
 */
export class AreaUnresolvedError extends BusinessRuleError {
  constructor(
    readonly field: string,
    readonly reason: 'unknown' | 'ambiguous',
    readonly suggestions: AreaSuggestionDto[],
    districtGiven: boolean,
  ) {
    const kind = field.endsWith('city') ? 'city' : 'district';
    const message = messageOf(kind, reason, suggestions.length > 0, districtGiven);
    super('AREA_UNRESOLVED', `The place could not be resolved: ${field} ${message}`, [
      { field, message, suggestions },
    ]);
  }
}
