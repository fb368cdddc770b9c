import { ValidationError } from 'class-validator';
import { FieldProblem, ValidationFailedError } from './app-error';

/**
 * Flattens class-validator's tree into one entry per offending field, named by its dotted path. Values
 * are only looked at (to say "is required"), never echoed.
 */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = e.property === undefined || e.property === '' ? parent || 'body' : parent ? `${parent}.${e.property}` : e.property;
    const messages = Object.values(e.constraints ?? {});
    if (messages.length) {
      const missing = e.value === undefined && !e.constraints?.whitelistValidation;
      out.push({ field, message: e.property === undefined ? 'must be a JSON object' : missing ? `${field} is required` : messages[0] });
    }
    if (e.children?.length) out.push(...fieldProblems(e.children, field));
  }
  return out;
}

/** ValidationPipe exceptionFactory: the error body of API.md with one detail per field. */
export function validationExceptionFactory(errors: ValidationError[]): ValidationFailedError {
  return new ValidationFailedError(fieldProblems(errors));
}
