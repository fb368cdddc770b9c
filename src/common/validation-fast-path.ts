import { ArgumentMetadata, Body, PipeTransform, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage, ValidationArguments, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { ValidationFailedError } from './errors/app-error';

type Dto = new () => object;
/** A DTO built from a request body, or undefined when the body needs the full validation (errors, or a doubt). */
type FastBuild = (plain: unknown) => object | undefined;

interface TransformRule {
  transformFn: (params: {
    value: unknown;
    key: string;
    obj: unknown;
    type: TransformationType;
    options: object;
  }) => unknown;
}

interface ConstraintCheck {
  validate(value: unknown, args: ValidationArguments): unknown;
}

interface PropertyRule {
  metadata: ValidationMetadata;
  /** The constraint instances class-validator would call for this rule. */
  checks: ConstraintCheck[];
}

interface PropertyPlan {
  /** The nested DTO of a @Type(() => X) property. */
  nested?: () => Dto;
  transforms: TransformRule[];
  /** ValidateIf: the property's rules apply only when every condition holds. */
  conditions: ((object: object, value: unknown) => boolean)[];
  rules: PropertyRule[];
  validatesNested: boolean;
}

interface ClassPlan {
  target: Dto;
  properties: Map<string, PropertyPlan>;
}

/** Keys class-transformer drops without a word: never a field or a parameter of any route. */
export const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);
/** What class-transformer hands a @Transform function as its options (the defaults Nest's pipe uses). */
const TRANSFORM_OPTIONS = Object.freeze({});
const NOT_COMPILABLE = Symbol('not compilable');

/**
 * The accepting half of Nest's ValidationPipe (class-transformer, then class-validator with whitelist,
 * forbidNonWhitelisted and forbidUnknownValues), compiled per DTO class from the same decorators: the
 * rules are the DTOs' and nothing else. It builds the same instance the pipe would and runs the same
 * constraint functions, without the generic machinery that made validation a quarter of a warm quote.
 * Anything it does not handle exactly (an error, an unusual decorator, an odd value) returns undefined,
 * and the full pipe decides — so every error body still comes from the one validation path.
 */
export class DtoFastPath {
  private readonly plans = new Map<Dto, ClassPlan | typeof NOT_COMPILABLE>();

  private readonly builds = new Map<Dto, FastBuild | null>();

  /** The fast build for `target` (made once), or null when its decorators are beyond this path. */
  for(target: Dto): FastBuild | null {
    let build = this.builds.get(target);
    if (build === undefined) {
      const plan = this.plan(target);
      this.builds.set(target, (build = plan ? (plain) => this.build(plan, plain) : null));
    }
    return build;
  }

  private plan(target: Dto): ClassPlan | null {
    const known = this.plans.get(target);
    if (known === NOT_COMPILABLE) return null;
    if (known) return known;
    this.plans.set(target, NOT_COMPILABLE); // a cycle of nested DTOs stays on the full path
    const plan = this.compile(target);
    this.plans.set(target, plan ?? NOT_COMPILABLE);
    return plan;
  }

  private compile(target: Dto): ClassPlan | null {
    if (
      defaultMetadataStorage.getExposedMetadatas(target).length ||
      defaultMetadataStorage.getExcludedMetadatas(target).length
    )
      return null;
    const storage = getMetadataStorage();
    const metadatas = storage.getTargetValidationMetadatas(target, '', false, false, undefined);
    if (!metadatas.length) return null;
    const properties = new Map<string, PropertyPlan>();
    for (const [property, rules] of Object.entries(storage.groupByPropertyName(metadatas))) {
      const plan: PropertyPlan = { transforms: [], conditions: [], rules: [], validatesNested: false };
      for (const rule of rules) {
        switch (rule.type) {
          case ValidationTypes.CONDITIONAL_VALIDATION:
            plan.conditions.push(rule.constraints[0] as PropertyPlan['conditions'][number]);
            break;
          case ValidationTypes.NESTED_VALIDATION:
            plan.validatesNested = true;
            break;
          case ValidationTypes.CUSTOM_VALIDATION: {
            const constraints = storage.getTargetValidatorConstraints(rule.constraintCls);
            if (constraints.some((c) => c.async)) return null;
            plan.rules.push({
              metadata: rule,
              checks: constraints.map((c) => c.instance as ConstraintCheck),
            });
            break;
          }
          default:
            return null; // IS_DEFINED, PROMISE_VALIDATION, WHITELIST: not on this path
        }
      }
      const type = defaultMetadataStorage.findTypeMetadata(target, property);
      if (type) {
        if (type.options?.discriminator || !type.typeFunction) return null;
        plan.nested = type.typeFunction as unknown as () => Dto;
      }
      const transforms = defaultMetadataStorage.findTransformMetadatas(
        target,
        property,
        TransformationType.PLAIN_TO_CLASS,
      );
      if (
        transforms.some(
          (t) =>
            t.options?.groups?.length || t.options?.since !== undefined || t.options?.until !== undefined,
        )
      )
        return null;
      plan.transforms = transforms;
      properties.set(property, plan);
    }
    return { target, properties };
  }

  /** class-transformer's plainToInstance, then class-validator's checks; undefined at the first doubt. */
  private build(plan: ClassPlan, plain: unknown): object | undefined {
    if (!isPlainObject(plain)) return undefined;
    const instance = new plan.target() as Record<string, unknown>;
    for (const key of Object.keys(plain)) {
      const property = plan.properties.get(key);
      // Unknown keys are refused by the whitelist; forbidden ones are stripped by the pipe: both need it.
      if (!property || FORBIDDEN_KEYS.has(key) || key in plan.target.prototype) return undefined;
      let value: unknown = plain[key];
      if (property.nested) {
        if (!isPlainObject(value)) return undefined;
        const nested = this.plan(property.nested());
        if (!nested) return undefined;
        value = this.build(nested, value);
        if (value === undefined) return undefined;
      } else if (!isFlatValue(value)) return undefined;
      else if (Array.isArray(value)) value = Array.from(value as unknown[]); // a new array, as class-transformer makes
      for (const t of property.transforms)
        value = t.transformFn({
          value,
          key,
          obj: plain,
          type: TransformationType.PLAIN_TO_CLASS,
          options: TRANSFORM_OPTIONS,
        });
      instance[key] = value;
    }
    return this.accepts(plan, instance) ? instance : undefined;
  }

  /** class-validator's verdict for an accepted instance: every rule of every property holds. */
  private accepts(plan: ClassPlan, instance: Record<string, unknown>): boolean {
    for (const key of Object.keys(instance)) if (!plan.properties.has(key)) return false; // whitelist
    for (const [property, p] of plan.properties) {
      const value = instance[property];
      let applies = true;
      for (const condition of p.conditions) applies = condition(instance, value) && applies;
      if (!applies) continue;
      for (const { metadata, checks } of p.rules) {
        if (metadata.validateIf && !metadata.validateIf(instance, value)) continue;
        const args: ValidationArguments = {
          targetName: plan.target.name,
          property,
          object: instance,
          value,
          constraints: metadata.constraints,
        };
        const each = metadata.each && (Array.isArray(value) || value instanceof Set || value instanceof Map);
        for (const check of checks) {
          if (!each) {
            if (!holds(check, value, args)) return false;
            continue;
          }
          for (const item of value instanceof Map ? value.values() : (value as Iterable<unknown>))
            if (!holds(check, item, args)) return false;
        }
      }
      // A nested DTO was validated as it was built; a nested rule on anything else needs the full path.
      if (p.validatesNested && value !== undefined && !p.nested) return false;
    }
    return true;
  }
}

/** A constraint's verdict, as class-validator reads it; a promise (an async check) is a doubt. */
function holds(check: ConstraintCheck, value: unknown, args: ValidationArguments): boolean {
  const verdict = check.validate(value, args);
  return !(verdict instanceof Promise) && Boolean(verdict);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as object | null;
  return proto !== null && Object.getPrototypeOf(proto) === null;
}

/** A JSON primitive, or a dense array of them: class-transformer copies these as they are. */
function isFlatValue(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return typeof value !== 'function';
  if (!Array.isArray(value)) return false;
  for (let i = 0; i < value.length; i += 1) {
    if (!(i in value)) return false;
    const item: unknown = value[i];
    if (item !== null && typeof item === 'object') return false;
  }
  return true;
}

/**
 * Whether the fast path reproduces a pipe with these options. It builds what `transform: true` with
 * class-transformer's default options builds and applies every rule of the class with no groups; anything
 * it cannot decide it hands to the pipe, so options that only make the pipe more lenient (whitelist without
 * forbidNonWhitelisted, skipMissingProperties) are safe, but options that change what is built or which
 * rules apply are not.
 */
export function fastPathReproduces(options: ValidationPipeOptions): boolean {
  return (
    options.transform === true &&
    !options.groups?.length &&
    !options.always &&
    !options.strictGroups &&
    !options.expectedType &&
    !options.validatorPackage &&
    !options.transformerPackage &&
    Object.keys(options.transformOptions ?? {}).length === 0
  );
}

const REQUIRES_SOME_FIELD = Symbol('requires some field');

/** A PATCH body: every field is optional, but a body that changes nothing is refused (400). */
export const RequiresSomeField = (): ClassDecorator => (target) => {
  Reflect.defineMetadata(REQUIRES_SOME_FIELD, true, target);
};

const PRIMITIVES: unknown[] = [String, Number, Boolean, Array, Object, Symbol, BigInt];
const isDto = (metatype: unknown): metatype is Dto =>
  typeof metatype === 'function' && !PRIMITIVES.includes(metatype);

/**
 * Nest's ValidationPipe with the request-body rules it lacks and the fast path in front. A DTO body must be a
 * JSON object (Nest turns `null` into `{}`, and an array into an array of instances); a PATCH body must
 * change something. A body the fast path accepts is answered with the instance the pipe would have built;
 * any other goes through the pipe unchanged.
 */
export class FastValidationPipe extends ValidationPipe {
  private readonly fast: DtoFastPath | null;

  /** @param fastPath false turns the fast path off (VALIDATION_FAST_PATH=false); it is also off for options it does not reproduce. */
  constructor(options: ValidationPipeOptions, fastPath = true) {
    super(options);
    this.fast = fastPath && fastPathReproduces(options) ? new DtoFastPath() : null;
  }

  /** Whether bodies take the fast path (for tests and the start-up log). */
  get fastPathOn(): boolean {
    return this.fast !== null;
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type !== 'body' || !isDto(metadata.metatype)) return super.transform(value, metadata);
    const dto = metadata.metatype;
    // No body at all is an empty object (bodiless POSTs with only optional fields); JSON null is not.
    if (value !== undefined && !isPlainObject(value)) {
      throw new ValidationFailedError([{ field: 'body', message: 'must be a JSON object' }]);
    }
    const built: unknown =
      (value !== undefined && this.fast?.for(dto)?.(value)) || (await super.transform(value, metadata));
    if (
      Reflect.getMetadata(REQUIRES_SOME_FIELD, dto) &&
      !Object.values(built as object).some((v) => v !== undefined)
    ) {
      throw new ValidationFailedError([{ field: 'body', message: 'must change at least one field' }]);
    }
    return built;
  }
}

/**
 * A route that takes no body (an action such as cancel, a DELETE): an empty object or no body is fine,
 * anything else is refused naming each field, as unknown fields are everywhere else.
 */
class NoBodyPipe implements PipeTransform<unknown, undefined> {
  transform(value: unknown): undefined {
    if (value === undefined || (isPlainObject(value) && !Object.keys(value).length)) return undefined;
    if (!isPlainObject(value))
      throw new ValidationFailedError([
        { field: 'body', message: 'must be empty: this route takes no body' },
      ]);
    throw unknownFields(Object.keys(value));
  }
}

/** The 400 for fields (or query parameters) a route does not take, naming each as validation names one. */
export function unknownFields(names: string[]): ValidationFailedError {
  return new ValidationFailedError(
    names.map((name) => ({ field: name, message: `property ${name} should not exist` })),
  );
}

/** The body parameter of a route that takes none. */
export const NoBody = () => Body(new NoBodyPipe());
