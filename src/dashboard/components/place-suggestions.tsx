import { ApiError } from '../api/client';
import type { PlaceSuggestion } from '../api/errors';
import { useI18n } from '../i18n/i18n-context';

/** The places the API offers for a typed one it could not resolve (AREA_UNRESOLVED), or none. */
export function placeSuggestionsOf(error: unknown): PlaceSuggestion[] {
  return error instanceof ApiError ? error.details.flatMap((d) => d.suggestions ?? []) : [];
}

/** The districts a typed place may mean, each a button that fills district, city and province in. */
export function PlaceSuggestions({
  places,
  onPick,
}: {
  places: PlaceSuggestion[];
  onPick: (place: PlaceSuggestion) => void;
}) {
  const { t } = useI18n();
  if (places.length === 0) return null;
  return (
    <div className="place-suggestions" role="group" aria-label={t('kirim.placeSuggestions')}>
      <p>{t('kirim.placeSuggestions')}</p>
      <ul className="plain-list">
        {places.map((p) => (
          <li key={p.code}>
            <button type="button" className="button secondary" onClick={() => onPick(p)}>
              {p.district}, {p.regency}, {p.province}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
