import { applyDecorators, type Type } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtension,
  ApiProperty,
  ApiResponse,
  type OpenAPIObject,
  type OperationObject,
  type ReferenceObject,
  type ResponseObject,
  type SchemaObject,
} from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

class FieldProblemDto {
  @ApiProperty({
    example: 'parcel.weightGrams',
    description: 'Dotted path of the offending field (or `body`)',
  })
  field!: string;
  @ApiProperty({ example: 'weightGrams must be a whole number' }) message!: string;
  @ApiProperty({
    required: false,
    type: 'array',
    items: { type: 'object', additionalProperties: { type: 'string' } },
    description:
      'What the caller may have meant. AREA_UNRESOLVED: up to five districts, each `{ code, district, regency, province }`',
  })
  suggestions?: Record<string, string>[];
}

/** The error body of API.md: every 4xx and 5xx answer has this shape. */
export class ErrorBodyDto {
  @ApiProperty({ type: 'integer', example: 400 }) statusCode!: number;
  @ApiProperty({ example: 'Bad Request' }) error!: string;
  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable UPPER_SNAKE code, module-prefixed' })
  code!: string;
  @ApiProperty({ example: 'The request is invalid' }) message!: string;
  @ApiProperty({ type: [FieldProblemDto], description: 'One entry per offending field' })
  details!: FieldProblemDto[];
  @ApiProperty({
    example: '6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60',
    description: 'Also in the x-request-id header',
  })
  requestId!: string;
}

/** What each error status means in Kirim, for the OpenAPI document. */
const MEANING: Record<number, string> = {
  400: 'Invalid input: `details` names each offending field',
  401: 'Missing, invalid or expired credentials',
  403: 'Your role may not do this',
  404: 'No such resource (another seller’s id is not found either)',
  409: 'Conflict with the current state (or an Idempotency-Key reused with another body)',
  414: 'A path segment (an id) is longer than any id Kirim gives',
  413: 'The body is larger than the route reads (10 MB bulk import, 2 MB remittance report, 256 KB courier push, 1 MB others)',
  415: 'A body type or charset Kirim does not read',
  422: 'A business rule refused it: `details` says why',
  429: 'Too many requests: wait the seconds in Retry-After',
  503: 'The database or every courier is unavailable: retry after Retry-After',
};

/** Documents error answers of a route (in the contract's error body) beyond the ones every route gets. */
export const ApiErrors = (...statuses: number[]) =>
  applyDecorators(
    ...statuses.map((status) => ApiResponse({ status, description: MEANING[status], type: ErrorBodyDto })),
  );

/** A CSV column of an upload: its name (header) and whether every row needs it. */
export interface CsvColumn {
  name: string;
  required: boolean;
}

const CSV_COLUMNS = 'x-csv-columns';

/** A body that is either a JSON array of `item` or CSV text with these columns (a header row first). */
export const ApiJsonOrCsvBody = (item: Type<unknown>, columns: CsvColumn[], description: string) =>
  applyDecorators(
    ApiConsumes('application/json', 'text/csv'),
    ApiBody({ type: [item], description }),
    ApiExtension(CSV_COLUMNS, columns),
  );

/** The text/csv form of a JSON-or-CSV body: a string whose header row has the documented columns. */
function csvContent(columns: CsvColumn[]) {
  const list = columns.map((c) => `\`${c.name}\`${c.required ? ' (required)' : ''}`).join(', ');
  return {
    schema: {
      type: 'string',
      description: `CSV text (UTF-8; UTF-16 and Windows-1252 are read when declared or marked by a BOM), a header row, then one row per item; fields separated by \`,\` or, as a spreadsheet saves in an Indonesian locale, \`;\` (told by the header row; whole numbers may then group thousands with dots, \`150.000\`). Columns, in any order; an empty cell is absent: ${list}.`,
    } as SchemaObject,
    example: columns.map((c) => c.name).join(','),
  };
}

const ERROR_REF: ReferenceObject = { $ref: '#/components/schemas/ErrorBodyDto' };
const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

/**
 * Completes the generated document so a generated client is right: every operation lists the error
 * answers it can give (400 with input, 401 when authenticated, 404 with an id in the path, 413/415 with a
 * body, 503 always) in the contract's error body, and every field validated as a whole number is an
 * `integer`, not a `number`.
 */
export function completeOpenApi(document: OpenAPIObject): OpenAPIObject {
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const op: OperationObject | undefined = item[method];
      if (!op) continue;
      const columns = (op as unknown as Record<string, unknown>)[CSV_COLUMNS] as CsvColumn[] | undefined;
      if (columns && op.requestBody && 'content' in op.requestBody)
        op.requestBody.content['text/csv'] = csvContent(columns);
      const statuses = new Set<number>([503]);
      // A signed-in route refuses a query parameter it does not declare, and two credentials at once
      // (AUTH_AMBIGUOUS_CREDENTIALS); any route its own parameters or body when they are bad.
      if (op.parameters?.length || op.requestBody || op.security?.length) statuses.add(400);
      if (op.security?.length) statuses.add(401);
      if (path.includes('{')) [404, 414].forEach((s) => statuses.add(s));
      if (op.requestBody) [413, 415].forEach((s) => statuses.add(s));
      for (const status of statuses) {
        const existing = op.responses[status] as { description?: string } | undefined;
        op.responses[status] = {
          description: existing?.description ?? MEANING[status],
          content: { 'application/json': { schema: ERROR_REF } },
        };
      }
      for (const [status, response] of Object.entries(op.responses) as [string, ResponseObject][]) {
        if (Number(status) >= 400 && !response.content) {
          op.responses[status] = { ...response, content: { 'application/json': { schema: ERROR_REF } } };
        }
      }
    }
  }
  markIntegers(document);
  nullInNullableEnums(document);
  return document;
}

/**
 * A nullable field with a list of values lists null too: OpenAPI 3.0 validators (Ajv, Prism) check the
 * enum before `nullable`, and refused every answer where such a field is null (an event's reason).
 */
function nullInNullableEnums(document: OpenAPIObject): void {
  const visit = (schema: unknown): void => {
    if (!schema || typeof schema !== 'object') return;
    const s = schema as SchemaObject & { enum?: unknown[] };
    // A new list: the one the decorator was given is the app's own constant (COURIER_REASONS), which
    // validation reads too; pushed into, it let a null through where none is allowed.
    if (s.nullable && Array.isArray(s.enum) && !s.enum.includes(null)) s.enum = [...s.enum, null];
    for (const child of Object.values(s.properties ?? {})) visit(child);
    if (s.items) visit(s.items);
    for (const list of [s.allOf, s.oneOf, s.anyOf]) list?.forEach(visit);
  };
  for (const schema of Object.values(document.components?.schemas ?? {})) visit(schema);
}

/** class-validator's store of rules by class (read-only; the version is pinned, see validation-fast-path.ts). */
function rulesByClass(): Map<object, ValidationMetadata[]> {
  return (getMetadataStorage() as unknown as { validationMetadatas: Map<object, ValidationMetadata[]> })
    .validationMetadatas;
}

/** Every property validated with @IsInt is typed `integer` in its class's schema. */
function markIntegers(document: OpenAPIObject): void {
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaObject>;
  const storage = getMetadataStorage();
  for (const target of rulesByClass().keys()) {
    const name = (target as { name?: string }).name;
    const schema = name ? schemas[name] : undefined;
    if (!schema?.properties) continue;
    const rules = storage.getTargetValidationMetadatas(target as () => void, '', true, false);
    for (const rule of rules) {
      const property = schema.properties[rule.propertyName] as SchemaObject | undefined;
      if (rule.name !== 'isInt' || !property) continue;
      if (property.type === 'array' && property.items) (property.items as SchemaObject).type = 'integer';
      else property.type = 'integer';
    }
  }
}
