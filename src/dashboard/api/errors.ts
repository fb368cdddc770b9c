/** One field the API refused, by its dotted path in the body (`parcel.weightGrams`) or `body`. */
export interface FieldProblem {
  field: string;
  message: string;
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

const isProblem = (value: unknown): value is FieldProblem =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as FieldProblem).field === 'string' &&
  typeof (value as FieldProblem).message === 'string';

/**
 * The ApiError for a failed answer: the contract's error body when it is one; otherwise (a proxy's HTML
 * page, an empty body) a generic error that keeps the status.
 */
export function apiErrorFrom(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    if (typeof b.code === 'string' && typeof b.message === 'string') {
      const details = Array.isArray(b.details) ? b.details.filter(isProblem) : [];
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
