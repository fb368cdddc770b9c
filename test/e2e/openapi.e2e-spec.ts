import { COURIER_REASONS, COURIER_STATUSES } from 'src/couriers/courier-adapter';
import supertest from 'supertest';
import { CSV_COLUMNS, CSV_REQUIRED_COLUMNS } from 'src/shipments/bulk-import/shipments-csv';
import { startTestApp, TestApp } from '../support/test-app';
import { ROUTES } from './route-table';

interface Operation {
  parameters?: { name: string; in: string; schema?: { type?: string } }[];
  requestBody?: { content: Record<string, { schema: { type?: string; description?: string } }> };
  responses: Record<string, { content?: Record<string, { schema: { $ref?: string } }> }>;
  security?: unknown[];
}
interface Schema {
  type?: string;
  properties?: Record<string, { type?: string | string[]; items?: { type?: string }; $ref?: string }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
}

const ERROR_REF = '#/components/schemas/ErrorBodyDto';

/** Names of fields that hold whole numbers: rupiah, grams, centimetres, counts, ranks. */
const WHOLE_NUMBER =
  /(Amount|Grams|Cm|Fee|price|Price|cost|Cost|cashback|attempts|limit|row|rank|expiresIn|Minimum|BasisPoints|recentCalls|itemValue|statusCode|score|lostMarginPerFailure)$/;

describe('the OpenAPI document is right for a generated client', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let doc: Document;
  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({
        key: `${method.toUpperCase()} ${path}`,
        path,
        method,
        op,
      })),
    );

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    doc = (await http.get('/docs-json').expect(200)).body as Document;
  });
  afterAll(() => t.close());

  it('describes the error body', () => {
    expect(doc.components.schemas.ErrorBodyDto.properties).toEqual({
      statusCode: expect.objectContaining({ type: 'integer' }),
      error: expect.objectContaining({ type: 'string' }),
      code: expect.objectContaining({ type: 'string' }),
      message: expect.objectContaining({ type: 'string' }),
      details: expect.objectContaining({ type: 'array' }),
      requestId: expect.objectContaining({ type: 'string' }),
    });
  });

  it('lists the 4xx answers of each route, every one in the error body', () => {
    const missing: string[] = [];
    for (const { key, path, op } of operations()) {
      const expected = [503];
      if (op.parameters?.length || op.requestBody) expected.push(400);
      if (op.security?.length) expected.push(401);
      if (path.includes('{')) expected.push(404);
      if (op.requestBody) expected.push(413, 415);
      for (const status of expected) if (!op.responses[status]) missing.push(`${key} ${status}`);
      for (const [status, response] of Object.entries(op.responses)) {
        if (Number(status) >= 400 && response.content?.['application/json']?.schema.$ref !== ERROR_REF) {
          missing.push(`${key} ${status} is not the error body`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('documents credentials (and so 401) on every route that is not public, and 403 where roles are checked', () => {
    const problems: string[] = [];
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method];
      if (!op) continue; // the route table test says which routes exist
      const secured = Boolean(op.security?.length);
      if (secured !== (route.access !== 'public')) problems.push(`${route.method} ${route.path} security`);
      if (Array.isArray(route.access) && !op.responses['403'])
        problems.push(`${route.method} ${route.path} 403`);
    }
    expect(problems).toEqual([]);
  });

  it('declares the API key exactly where an integration’s key is let in (it acts as seller staff)', () => {
    const problems: string[] = [];
    for (const route of ROUTES) {
      const op = doc.paths[route.path]?.[route.method];
      if (!op || route.access === 'public') continue;
      const keyLetIn = !route.noApiKey && (route.access === 'any' || route.access.includes('seller_staff'));
      const declared = (op.security ?? []).some((s) => typeof s === 'object' && s !== null && 'apiKey' in s);
      if (declared !== keyLetIn)
        problems.push(`${route.method} ${route.path}: ${declared ? 'declared' : 'missing'}`);
    }
    expect(problems).toEqual([]);
  });

  it('lists null among the values of a nullable field, and 414 where an id is in the path', () => {
    const schemas = (
      doc as unknown as {
        components: { schemas: Record<string, { properties: Record<string, { enum?: unknown[] }> }> };
      }
    ).components.schemas;
    for (const [schema, field] of [
      ['TrackingEventDto', 'reason'],
      ['TrackingEventDto', 'status'],
      ['FinanceWithdrawalDto', 'payoutState'],
    ])
      expect({ schema, field, values: schemas[schema].properties[field].enum }).toEqual({
        schema,
        field,
        values: expect.arrayContaining([null]),
      });
    expect(Object.keys(doc.paths['/v1/shipments/{id}'].get.responses)).toEqual(
      expect.arrayContaining(['400', '414']),
    );
    // The document's own list: the app's constants, which validation reads, keep no null.
    expect([...COURIER_REASONS, ...COURIER_STATUSES]).not.toContain(null);
  });

  it('names the business refusals of the routes that have them', () => {
    const statuses = (key: string) => {
      const [method, path] = key.split(' ');
      return Object.keys(doc.paths[path][method.toLowerCase()].responses);
    };
    expect(statuses('POST /v1/shipments')).toEqual(expect.arrayContaining(['404', '409', '422']));
    expect(statuses('POST /v1/pickups')).toEqual(expect.arrayContaining(['422']));
    expect(statuses('POST /v1/shipments/{id}/cancel')).toEqual(expect.arrayContaining(['409']));
    expect(statuses('POST /v1/auth/login')).toEqual(expect.arrayContaining(['401', '429']));
    expect(statuses('POST /v1/auth/signup')).toEqual(expect.arrayContaining(['409']));
    expect(statuses('POST /v1/quotes')).toEqual(expect.arrayContaining(['404']));
    expect(statuses('POST /v1/webhook-deliveries/{id}/retry')).toEqual(
      expect.arrayContaining(['404', '409']),
    );
    expect(statuses('POST /v1/settings/webhook/test')).toEqual(expect.arrayContaining(['422']));
    expect(statuses('POST /v1/withdrawals')).toEqual(expect.arrayContaining(['404', '409', '422']));
    expect(statuses('POST /v1/finance/withdrawals/{id}/approve')).toEqual(expect.arrayContaining(['409']));
    expect(statuses('POST /v1/finance/withdrawals/{id}/reject')).toEqual(expect.arrayContaining(['409']));
  });

  it('tells a seller how to verify a webhook’s signature', () => {
    const op = doc.paths['/v1/settings/webhook/test'].post as Operation & { description?: string };
    expect(op.description).toContain('X-Kirim-Signature: t=<unix seconds>,v1=<hex>');
    expect(op.description).toContain('HMAC-SHA256');
    expect(op.description).toContain('300 seconds');
  });

  it('offers the Idempotency-Key header on every creating route', () => {
    const withHeader = operations()
      .filter(({ op }) => op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key'))
      .map(({ key }) => key)
      .sort();
    // Signup is the exception: its answer holds an access token (no secret is kept for replay), and a
    // repeated signup is refused by the email's uniqueness.
    const creating = operations()
      .filter(({ op, key }) => (op.responses['201'] || op.responses['202']) && key !== 'POST /v1/auth/signup')
      .map(({ key }) => key);
    expect(withHeader).toEqual(expect.arrayContaining(creating));
    expect(withHeader).toEqual(
      [
        'POST /v1/addresses',
        'POST /v1/api-keys',
        'POST /v1/bank-accounts',
        'POST /v1/finance/remittances',
        'POST /v1/pickups',
        'POST /v1/shipments',
        'POST /v1/shipments/bulk',
        'POST /v1/shipments/{id}/actions',
        'POST /v1/users',
        'POST /v1/withdrawals',
      ].sort(),
    );
  });

  it('types whole-number fields as integer, in bodies, answers and query parameters', () => {
    const numbers: string[] = [];
    for (const [name, schema] of Object.entries(doc.components.schemas)) {
      for (const [property, p] of Object.entries(schema.properties ?? {})) {
        const types = [p.type ?? []].flat();
        if (WHOLE_NUMBER.test(property) && types.includes('number')) numbers.push(`${name}.${property}`);
      }
    }
    for (const { key, op } of operations()) {
      for (const p of op.parameters ?? []) {
        if (WHOLE_NUMBER.test(p.name) && p.schema?.type === 'number') numbers.push(`${key} ?${p.name}`);
      }
    }
    expect(numbers).toEqual([]);
    // Fields typed only by their validators come out right too.
    expect(doc.components.schemas.ParcelDto.properties!.weightGrams.type).toBe('integer');
    expect(doc.components.schemas.UpdateSettingsDto.properties!.lostMarginPerFailure.type).toBe('integer');
    expect(doc.components.schemas.CreateShipmentDto.properties!.codAmount.type).toBe('integer');
    expect(doc.components.schemas.QuoteOptionDto.properties!.expectedCost.type).toBe('integer');
  });

  it('documents the bulk import’s CSV columns', () => {
    const body = doc.paths['/v1/shipments/bulk'].post.requestBody!;
    expect(body.content['application/json'].schema).toEqual({
      type: 'array',
      items: { $ref: '#/components/schemas/CreateShipmentDto' },
    });
    const csv = body.content['text/csv'].schema;
    expect(csv.type).toBe('string');
    for (const column of CSV_COLUMNS) {
      expect(csv.description).toContain(
        `\`${column}\`${CSV_REQUIRED_COLUMNS.includes(column) ? ' (required)' : ''}`,
      );
    }
  });
});
