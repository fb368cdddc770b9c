import {
  AppError,
  BusinessRuleError,
  ConflictError,
  NotFoundError,
  RateLimitedError,
  UnauthenticatedError,
} from 'src/common/errors/app-error';

export class InvalidCredentialsError extends UnauthenticatedError {
  constructor() {
    super('AUTH_INVALID_CREDENTIALS', 'Email or password is wrong');
  }
}

export class InvalidTokenError extends UnauthenticatedError {
  constructor() {
    super('AUTH_INVALID_TOKEN', 'The access token or API key is invalid, expired or revoked');
  }
}

export class EmailTakenError extends ConflictError {
  constructor() {
    super('AUTH_EMAIL_TAKEN', 'An account with this email already exists', [
      { field: 'email', message: 'is already registered' },
    ]);
  }
}

export class LoginRateLimitedError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super('AUTH_RATE_LIMITED', 'Too many login attempts; try again later', retryAfterSeconds);
  }
}

export class SignupRateLimitedError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super(
      'AUTH_SIGNUP_RATE_LIMITED',
      'Too many signups from this address; try again later',
      retryAfterSeconds,
    );
  }
}

export class UserCreateRateLimitedError extends RateLimitedError {
  constructor(retryAfterSeconds: number) {
    super('USERS_RATE_LIMITED', 'Too many users added for this seller; try again later', retryAfterSeconds);
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor() {
    super('AUTH_USER_NOT_FOUND', 'No such user');
  }
}

export class ApiKeyNotFoundError extends NotFoundError {
  constructor() {
    super('AUTH_API_KEY_NOT_FOUND', 'No such API key');
  }
}

export class CannotDisableSelfError extends ConflictError {
  constructor() {
    super('AUTH_CANNOT_DISABLE_SELF', 'You cannot remove your own account');
  }
}

export class AmbiguousCredentialsError extends AppError {
  /** `sent`: the credential headers that arrived together. */
  constructor(sent: string[]) {
    const repeated = sent.length > 1 && sent.every((f) => f === sent[0]);
    super(
      'validation',
      'AUTH_AMBIGUOUS_CREDENTIALS',
      repeated
        ? `Send one ${sent[0]} header, not ${sent.length}`
        : `Send one credential, not ${sent.join(' and ')}`,
      repeated
        ? [{ field: sent[0], message: 'must be sent once' }]
        : sent.map((field) => ({
            field,
            message: `must not be sent together with ${sent.filter((f) => f !== field).join(' and ')}`,
          })),
    );
  }
}

/** A password change with the wrong current password: 422, not 401 (the session itself is fine). */
export class WrongPasswordError extends BusinessRuleError {
  constructor() {
    super('AUTH_WRONG_PASSWORD', 'The current password is wrong', [
      { field: 'currentPassword', message: 'is not your password' },
    ]);
  }
}

/** A password "changed" to itself: nothing would change but the sessions (POST /v1/auth/logout ends those). */
export class PasswordUnchangedError extends BusinessRuleError {
  constructor() {
    super('AUTH_PASSWORD_UNCHANGED', 'The new password is the current one', [
      { field: 'newPassword', message: 'must differ from the current password' },
    ]);
  }
}

/** Logging out ends a person's sessions; an API key is no session (revoke it instead). */
export class NotASessionError extends BusinessRuleError {
  constructor() {
    super(
      'AUTH_NOT_A_SESSION',
      'Only a signed-in person has sessions; revoke an API key with DELETE /v1/api-keys/:id',
    );
  }
}
