import type { ValidationPipeOptions } from '@nestjs/common';
import { getMetadataStorage, ValidationError } from 'class-validator';
import type { MetadataStorage } from 'class-validator/types/metadata/MetadataStorage';
import { FieldProblem, ValidationFailedError } from './app-error';

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
    const messages = Object.values(e.constraints ?? {});
    if (messages.length) {
      const missing = e.value === undefined && !e.constraints?.whitelistValidation;
      out.push({
        field,
        message:
          e.property === undefined ? 'must be a JSON object' : missing ? `${field} is required` : messages[0],
      });
    }
    if (e.children?.length) out.push(...fieldProblems(e.children, field));
  }
  return out;
}

/** ValidationPipe exceptionFactory: the error body of API.md with one detail per field. */
export function validationExceptionFactory(errors: ValidationError[]): ValidationFailedError {
  return new ValidationFailedError(fieldProblems(errors));
}

/** How every request DTO is validated: unknown fields refused, values transformed (trimmed, normalized). */
export const VALIDATION_PIPE_OPTIONS: ValidationPipeOptions = {
  transform: true,
  whitelist: true,
  forbidNonWhitelisted: true,
  forbidUnknownValues: true,
  stopAtFirstError: true,
  validationError: { target: false, value: true },
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
