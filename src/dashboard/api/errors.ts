/** A place the API offers for a typed one it could not resolve (AREA_UNRESOLVED). */
export interface PlaceSuggestion {
  code: string;
  district: string;
  regency: string;
  province: string;
}

/** One field the API refused, by its dotted path in the body (`parcel.weightGrams`) or `body`. */
export interface FieldProblem {
  field: string;
  message: string;
  /** The places it may have meant, for a place it could not resolve. */
  suggestions?: PlaceSuggestion[];
}

/** What the API said went wrong (its error body), or a network failure (status 0, code NETWORK_ERROR). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The API's message for each field it refused, by field path (the first when a field has several). */
  fieldMessages(): Record<string, string> {
    const byField: Record<string, string> = {};
    for (const d of this.details) byField[d.field] ??= d.message;
    return byField;
  }
}

const isSuggestion = (value: unknown): value is PlaceSuggestion =>
  typeof value === 'object' &&
  value !== null &&
  ['code', 'district', 'regency', 'province'].every(
    (k) => typeof (value as Record<string, unknown>)[k] === 'string',
  );

/** A detail of the error body as a FieldProblem (its suggestions kept only when they are places), or null. */
function problemOf(value: unknown): FieldProblem | null {
  if (typeof value !== 'object' || value === null) return null;
  const { field, message, suggestions } = value as Record<string, unknown>;
  if (typeof field !== 'string' || typeof message !== 'string') return null;
  const places = Array.isArray(suggestions) ? suggestions.filter(isSuggestion) : [];
  return places.length ? { field, message, suggestions: places } : { field, message };
}

/**
 * The ApiError for a failed answer: the contract's error body when it is one; otherwise (a proxy's HTML
 * page, an empty body) a generic error that keeps the status.
 */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    if (typeof b.code === 'string' && typeof b.message === 'string') {
      const details = Array.isArray(b.details)
        ? b.details.map(problemOf).filter((d): d is FieldProblem => d !== null)
        : [];
      return new ApiError(
        status,
        b.code,
        b.message,
        details,
        typeof b.requestId === 'string' ? b.requestId : undefined,
      );
    }
  }
  return new ApiError(status, `HTTP_${status}`, `The server answered ${status}`);
}

/** The error for a request that got no answer at all. */
export const networkError = (cause: unknown): ApiError =>
  new ApiError(0, 'NETWORK_ERROR', cause instanceof Error ? cause.message : String(cause));

/**
 * Whether what a request asked for may have been done though the page did not hear so: no answer came
 * (status 0), a server or a gateway in front of it failed (5xx), or the first request with its key is
 * still running.
 */
export function outcomeUnknown(e: unknown): boolean {
  return (
    e instanceof ApiError &&
    (e.status === 0 || e.status >= 500 || e.code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS')
  );
}
