/** What went wrong, independent of transport; the HTTP status for each kind lives only in the error filter. */
export type ErrorKind =
  | 'validation'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'invalid_state'
  | 'business_rule'
  | 'unsupported_media_type'
  | 'too_large'
  | 'rate_limited'
  | 'unavailable';

export interface FieldProblem {
  field: string;
  message: string;
  /** What the caller may have meant (e.g. districts for a place that names none or several). */
  suggestions?: readonly object[];
}

/** Base of every domain error: a stable UPPER_SNAKE code, a human message and optional field details. */
export class AppError extends Error {
  constructor(
    readonly kind: ErrorKind,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
    /** Seconds a client should wait before retrying (rate limits, unavailability). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends AppError {
  constructor(details: FieldProblem[], message = 'The request is invalid') {
    super('validation', 'VALIDATION_FAILED', message, details);
  }
}

export class NotFoundError extends AppError {
  /** `details` name the body field that held the id, where it came in a body rather than the path. */
  constructor(code: string, message: string, details: FieldProblem[] = []) {
    super('not_found', code, message, details);
  }
}

export class ConflictError extends AppError {
  constructor(code: string, message: string, details: FieldProblem[] = []) {
    super('conflict', code, message, details);
  }
}

export class InvalidStateError extends AppError {
  constructor(code: string, message: string) {
    super('invalid_state', code, message);
  }
}

export class BusinessRuleError extends AppError {
  constructor(code: string, message: string, details: FieldProblem[] = []) {
    super('business_rule', code, message, details);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(code = 'AUTH_UNAUTHENTICATED', message = 'Authentication is required') {
    super('unauthenticated', code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code = 'AUTH_FORBIDDEN', message = 'Your role may not do this') {
    super('forbidden', code, message);
  }
}

export class RateLimitedError extends AppError {
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super('rate_limited', code, message, [], retryAfterSeconds);
  }
}

export class UnavailableError extends AppError {
  constructor(code: string, message: string, retryAfterSeconds?: number) {
    super('unavailable', code, message, [], retryAfterSeconds);
  }
}

/** A body in a type or charset Kirim does not read. */
export class UnsupportedMediaTypeError extends AppError {
  constructor(message: string) {
    super('unsupported_media_type', 'UNSUPPORTED_MEDIA_TYPE', message);
  }
}
