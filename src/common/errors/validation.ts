import type { ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage, ValidationError, ValidatorOptions } from 'class-validator';
import type { MetadataStorage } from 'class-validator/types/metadata/MetadataStorage';
import { FieldProblem, ValidationFailedError } from './app-error';

/**
 * Constraint names by how basic the fault is: a value of the wrong type is named as such, never by the range
 * or format it then also misses ("NaN" is not a whole number, not "greater than the maximum").
 */
const FIRST: readonly string[] = [
  'whitelistValidation',
  'isDefined',
  'isObject',
  'isArray',
  'isString',
  'isInt',
  'isNumber',
  'isBoolean',
  'nestedValidation',
];

/** Kirim's words for the type constraints (class-validator's say "integer number", "either object or array"). */
const TYPE_WORDING: Record<string, string> = {
  isObject: 'must be a JSON object',
  isArray: 'must be an array',
  isString: 'must be a string',
  isInt: 'must be a whole number',
  isNumber: 'must be a number',
  isBoolean: 'must be true or false',
  nestedValidation: 'must be a JSON object',
};

/** The one message that says what is most basically wrong with a field. */
function firstProblem(property: string, constraints: Record<string, string>): string {
  const key = FIRST.find((k) => k in constraints) ?? Object.keys(constraints)[0];
  return TYPE_WORDING[key] ? `${property} ${TYPE_WORDING[key]}` : constraints[key];
}

/**
 * Flattens class-validator's tree into one entry per offending field, named by its dotted path. Values
 * are only looked at (to say "is required"), never echoed.
 */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field =
      e.property === undefined || e.property === ''
        ? parent || 'body'
        : parent
          ? `${parent}.${e.property}`
          : e.property;
    const constraints = e.constraints ?? {};
    if (Object.keys(constraints).length) {
      const missing = e.value === undefined && !constraints.whitelistValidation;
      out.push({
        field,
        message:
          e.property === undefined
            ? 'must be a JSON object'
            : missing
              ? `${field} is required`
              : firstProblem(e.property, constraints),
      });
    } else if (e.children?.length) out.push(...fieldProblems(e.children, field));
  }
  return out;
}

/** ValidationPipe exceptionFactory: the error body of API.md with one detail per field. */
export function validationExceptionFactory(errors: ValidationError[]): ValidationFailedError {
  return new ValidationFailedError(fieldProblems(errors));
}

/**
 * How every request DTO is checked (the pipe, and bulk import row by row): unknown fields refused, and every
 * constraint of a field evaluated so the most basic fault can be named.
 */
export const VALIDATOR_OPTIONS: ValidatorOptions = {
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  validationError: { target: false, value: true },
};

/** How every request DTO is validated: as VALIDATOR_OPTIONS, values transformed (trimmed, normalized). */
export const VALIDATION_PIPE_OPTIONS: ValidationPipeOptions = {
  ...VALIDATOR_OPTIONS,
  transform: true,
  exceptionFactory: validationExceptionFactory,
};

type RulesLookup = MetadataStorage['getTargetValidationMetadatas'];
const RULES_KEPT = Symbol('rules kept');

/**
 * class-validator works out a class's rules again on every validation (a scan of every DTO class for
 * inherited rules, then a grouping by property): a sixth of a warm quote. The rules are fixed once the
 * classes are loaded, so both answers are kept; a rule registered later clears what was kept.
 */
export function keepValidationRules(storage: MetadataStorage = getMetadataStorage()): void {
  const marked = storage as MetadataStorage & { [RULES_KEPT]?: true };
  if (marked[RULES_KEPT]) return;
  marked[RULES_KEPT] = true;
  const lookup: RulesLookup = storage.getTargetValidationMetadatas.bind(storage);
  const group = storage.groupByPropertyName.bind(storage);
  const add = storage.addValidationMetadata.bind(storage);
  const rules = new Map<string, ReturnType<RulesLookup>>();
  const grouped = new WeakMap<object, ReturnType<MetadataStorage['groupByPropertyName']>>();
  const ids = new Map<unknown, number>();
  const idOf = (target: unknown) => ids.get(target) ?? (ids.set(target, ids.size), ids.size - 1);
  storage.addValidationMetadata = (metadata) => {
    rules.clear();
    add(metadata);
  };
  storage.getTargetValidationMetadatas = (target, schema, always, strictGroups, groups) => {
    const key = `${idOf(target)}|${schema}|${always}|${strictGroups}|${groups?.join(',') ?? ''}`;
    let found = rules.get(key);
    if (!found) rules.set(key, (found = lookup(target, schema, always, strictGroups, groups)));
    return found;
  };
  storage.groupByPropertyName = (metadata) => {
    let found = grouped.get(metadata);
    if (!found) grouped.set(metadata, (found = group(metadata)));
    return found;
  };
}
