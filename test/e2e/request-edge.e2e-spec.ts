import { gzipSync } from 'node:zlib';
import { connect } from 'node:net';
import { request as httpRequest } from 'node:http';
import supertest from 'supertest';
import { BODY_LIMITS_TEXT } from 'src/common/body-limits';
import {
  createAddress,
  createShipment,
  signupSeller,
  TestSeller,
  validAddress,
  validShipment,
} from '../support/factories/sellers';
import { snapshotTables } from '../support/db-snapshot';
import { createOperator } from '../support/factories/operators';
import { startTestApp, TestApp } from '../support/test-app';

const deep = (levels: number) => `{"label":${'['.repeat(levels)}${']'.repeat(levels)}}`;
/** A GET whose query is refused, naming `field`. */
const badQuery = (path: string, field: string, message: string): Case => ({
  name: path,
  method: 'get',
  path,
  status: 400,
  code: 'VALIDATION_FAILED',
  details: [{ field, message }],
});
/** A JSON object of `n` fields nobody asked for. */
const wide = (n: number) =>
  JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 1])));

interface Case {
  name: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: string;
  /** A JSON value, sent as JSON. */
  body?: unknown;
  /** Bytes sent as they are, with `contentType`. */
  raw?: string | Buffer;
  contentType?: string;
  /** Other request headers. */
  headers?: Record<string, string>;
  public?: boolean;
  status: number;
  code: string;
  /** The exact details, or (when only the message matters) undefined. */
  details?: { field: string; message: string }[];
  message?: string | RegExp;
}

/** Everything a client can get wrong at the door, with the exact answer it gets. */
const CASES = (addressId: string, shipmentId: string): Case[] => {
  const shipment = validShipment(addressId);
  return [
    // NUL and lone surrogates: PostgreSQL cannot hold them, so they never get that far.
    {
      name: 'NUL in the login email (before authentication)',
      method: 'post',
      path: '/v1/auth/login',
      body: { email: 'a\u0000@x.id', password: 'whatever password' },
      public: true,
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'email', message: 'must not contain a NUL character (\\u0000)' }],
    },
    {
      name: 'NUL in the signup seller name',
      method: 'post',
      path: '/v1/auth/signup',
      body: { sellerName: 'Toko\u0000', email: 'nul@example.id', password: 'correct horse battery' },
      public: true,
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'sellerName', message: 'must not contain a NUL character (\\u0000)' }],
    },
    {
      name: 'NUL deep in a shipment',
      method: 'post',
      path: '/v1/shipments',
      body: { ...shipment, recipient: { ...shipment.recipient, name: 'Budi\u0000' } },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'recipient.name', message: 'must not contain a NUL character (\\u0000)' }],
    },
    {
      name: 'NUL in an array item',
      method: 'post',
      path: '/v1/pickups',
      body: { shipmentIds: [shipmentId, 'x\u0000'] },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'shipmentIds.1', message: 'must not contain a NUL character (\\u0000)' }],
    },
    {
      name: 'NUL in a field name',
      method: 'post',
      path: '/v1/addresses',
      body: { ...validAddress(), 'la\u0000bel': 'x' },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'la\\u0000bel', message: 'name must not contain a NUL character (\\u0000)' }],
    },
    {
      name: 'lone surrogate in a string',
      method: 'post',
      path: '/v1/addresses',
      raw: '{"label":"Gudang \\ud800"}',
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'label', message: 'must be valid Unicode text (it has a lone surrogate)' }],
    },
    {
      name: 'NUL in a path parameter',
      method: 'post',
      path: '/sandbox/parcels/AWB%00X/advance',
      body: { to: 'delivered' },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'awb', message: 'must not contain a NUL character (\\u0000)' }],
    },
    {
      name: 'NUL in a query parameter',
      method: 'get',
      path: '/v1/shipments?cursor=%00',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'cursor', message: 'must not contain a NUL character (\\u0000)' }],
    },
    // A malformed escape in the query is refused, as one in the path is, not searched for as typed.
    ...['%FF%FF', '%C0%AF', '%zz', 'te%E2%82'].map((q) =>
      badQuery(`/v1/areas?q=${q}`, 'query', 'has malformed percent-encoding'),
    ),
    // A query's whole number is decimal digits: not hexadecimal, an exponent or nothing at all.
    ...['0x10', '1e1', '', '1.5'].map((limit) =>
      badQuery(`/v1/shipments?limit=${limit}`, 'limit', 'limit must be a whole number'),
    ),
    badQuery('/v1/areas?q=tebet&limit=-1', 'limit', 'limit must not be less than 1'),
    // Hostile nesting is refused before validation could recurse into it.
    {
      name: 'JSON 5,000 levels deep (address)',
      method: 'post',
      path: '/v1/addresses',
      raw: deep(5000),
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'nests deeper than 32 levels' }],
    },
    {
      name: 'JSON 5,000 levels deep (login, before authentication)',
      method: 'post',
      path: '/v1/auth/login',
      raw: deep(5000),
      contentType: 'application/json',
      public: true,
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'nests deeper than 32 levels' }],
    },
    // Unknown fields by the thousand are refused before validation, whose cost grows faster than their number.
    {
      name: '80,000 unknown fields (login, before authentication)',
      method: 'post',
      path: '/v1/auth/login',
      raw: wide(80_000),
      contentType: 'application/json',
      public: true,
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'has more than 1000 fields' }],
    },
    {
      name: '5,000 unknown fields in a nested object (address)',
      method: 'post',
      path: '/v1/addresses',
      raw: `{"label":"Gudang","extra":${wide(5000)}}`,
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'extra', message: 'has more than 1000 fields' }],
    },
    // Any route but a bulk import holds a body to 10,000 fields in all: a login of 1,280 objects of 125 unknown
    // fields each (1 MB) cost class-transformer a quarter of a second before the throttle (a helper's finding).
    {
      name: 'a login of 10,001 unknown fields in objects each within the limit (before authentication)',
      method: 'post',
      path: '/v1/auth/login',
      raw: `{"email":"a@b.co","password":"x","x":[${Array.from({ length: 11 }, () => wide(910)).join(',')}]}`,
      contentType: 'application/json',
      public: true,
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'has more than 10000 fields in all' }],
    },
    // A hundred problems are listed, the rest counted: a megabyte of NUL strings listed 110,000, each with its
    // path, in an answer of 15 MB.
    {
      name: '5,000 NUL strings (signup, before authentication)',
      method: 'post',
      path: '/v1/auth/signup',
      body: { x: Array.from({ length: 5000 }, () => 'a\u0000') },
      public: true,
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [
        ...Array.from({ length: 100 }, (_, i) => ({
          field: `x.${i}`,
          message: 'must not contain a NUL character (\\u0000)',
        })),
        { field: 'body', message: 'and 4900 more problems' },
      ],
    },
    // The query's too, counted under `query`.
    {
      name: '101 query parameters holding a NUL',
      method: 'get',
      path: `/v1/shipments?${Array.from({ length: 101 }, (_, i) => `a${i}=%00`).join('&')}`,
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [
        ...Array.from({ length: 100 }, (_, i) => ({
          field: `a${i}`,
          message: 'must not contain a NUL character (\\u0000)',
        })),
        { field: 'query', message: 'and 1 more problems' },
      ],
    },
    // A bulk import (10 MB) is read only from a caller with a credential: read and checked first, it cost
    // anyone half a second or more before the 401.
    {
      name: 'a bulk import without credentials, before its body is read',
      method: 'post',
      path: '/v1/shipments/bulk',
      // Refused for its width when read (the case below, signed in): here it is not read at all.
      raw: `[${Array.from({ length: 201 }, () => wide(1000)).join(',')}]`,
      contentType: 'application/json',
      public: true,
      status: 401,
      code: 'AUTH_UNAUTHENTICATED',
    },
    {
      name: 'bulk rows within the per-object limit, too many fields in all',
      method: 'post',
      path: '/v1/shipments/bulk',
      raw: `[${Array.from({ length: 201 }, () => wide(1000)).join(',')}]`,
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'has more than 200000 fields in all' }],
    },
    // Items by the hundred thousand are refused before validation, which walks every item (some validators
    // every pair): 150,000 ids held the event loop for seconds.
    {
      name: '150,000 ids in a pickup',
      method: 'post',
      path: '/v1/pickups',
      raw: JSON.stringify({ shipmentIds: Array.from({ length: 150_000 }, (_, i) => i) }),
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'shipmentIds', message: 'has more than 10000 items' }],
    },
    {
      name: 'JSON 5,000 levels deep (settings)',
      method: 'patch',
      path: '/v1/settings',
      raw: `{"webhookUrl":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'nests deeper than 32 levels' }],
    },
    {
      // A row deeper than 32 levels is that row's error (shipments.e2e); the whole list has a bound too.
      name: 'JSON 5,000 levels deep (bulk import)',
      method: 'post',
      path: '/v1/shipments/bulk',
      raw: `[${deep(5000)}]`,
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'nests deeper than 256 levels' }],
    },
    // Query parameters a route does not take (a list route refuses its unknown ones as well).
    {
      name: 'a query parameter on a route that takes none (balance)',
      method: 'get',
      path: '/v1/balance?limit=-1',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'limit', message: 'property limit should not exist' }],
    },
    {
      name: 'query parameters on an action route (cancel)',
      method: 'post',
      path: `/v1/shipments/${shipmentId}/cancel?force=1&x=2`,
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [
        { field: 'force', message: 'property force should not exist' },
        { field: 'x', message: 'property x should not exist' },
      ],
    },
    // The docs' static files: a path climbing out of them is no route, not a matter of the caller's role.
    ...['/docs/../package.json', '/docs/%2e%2e/package.json'].map((path): Case => ({
      name: `a docs path climbing out of its folder: ${path}`,
      method: 'get',
      path,
      public: true,
      status: 404,
      code: 'NOT_FOUND',
      message: 'No such route',
    })),
    // Names a query parser treats specially are refused like any unknown one, not dropped unsaid.
    ...['__proto__', 'constructor', 'prototype'].map((name): Case => ({
      name: `a query parameter named ${name} on a list route`,
      method: 'get',
      path: `/v1/addresses?limit=5&${name}=1`,
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: name, message: `property ${name} should not exist` }],
    })),
    // Bodies that are not what the route takes.
    {
      name: 'PATCH settings with null',
      method: 'patch',
      path: '/v1/settings',
      raw: 'null',
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'must be a JSON object' }],
    },
    {
      name: 'PATCH settings with an empty object',
      method: 'patch',
      path: '/v1/settings',
      body: {},
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'must change at least one field' }],
    },
    {
      name: 'PATCH settings with no body',
      method: 'patch',
      path: '/v1/settings',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'must change at least one field' }],
    },
    {
      name: 'PATCH address with an empty object',
      method: 'patch',
      path: `/v1/addresses/${addressId}`,
      body: {},
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'must change at least one field' }],
    },
    {
      name: 'an unknown field on an action route (cancel)',
      method: 'post',
      path: `/v1/shipments/${shipmentId}/cancel`,
      body: { x: 1 },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'x', message: 'property x should not exist' }],
    },
    {
      name: 'a body on a DELETE',
      method: 'delete',
      path: `/v1/addresses/${addressId}`,
      body: { force: true },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'force', message: 'property force should not exist' }],
    },
    {
      name: 'a JSON array where an object is expected',
      method: 'post',
      path: '/v1/addresses',
      body: [validAddress()],
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'must be a JSON object' }],
    },
    // Messages that name the constraint that is really broken.
    {
      name: '"NaN" for a whole number',
      method: 'patch',
      path: '/v1/settings',
      body: { lostMarginPerFailure: 'NaN' },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'lostMarginPerFailure', message: 'lostMarginPerFailure must be a whole number' }],
    },
    {
      name: '"NaN" for a nested whole number',
      method: 'post',
      path: '/v1/shipments',
      body: { ...shipment, parcel: { weightGrams: 'NaN' } },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'parcel.weightGrams', message: 'weightGrams must be a whole number' }],
    },
    {
      name: 'a fraction for COD',
      method: 'post',
      path: '/v1/shipments',
      body: { ...shipment, codAmount: 1000.5 },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'codAmount', message: 'codAmount must be a whole number' }],
    },
    {
      name: '?limit=abc',
      method: 'get',
      path: '/v1/addresses?limit=abc',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'limit', message: 'limit must be a whole number' }],
    },
    {
      name: 'shipmentIds as a string',
      method: 'post',
      path: '/v1/pickups',
      body: { shipmentIds: shipmentId },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'shipmentIds', message: 'shipmentIds must be an array' }],
    },
    {
      name: 'shipmentIds as null',
      method: 'post',
      path: '/v1/pickups',
      body: { shipmentIds: null },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'shipmentIds', message: 'shipmentIds must be an array' }],
    },
    {
      name: 'a number where a string is expected',
      method: 'post',
      path: '/v1/addresses',
      body: { ...validAddress(), label: 42 },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'label', message: 'label must be a string' }],
    },
    {
      name: 'a string where an object is expected',
      method: 'post',
      path: '/v1/shipments',
      body: { ...shipment, recipient: 'Budi' },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'recipient', message: 'recipient must be a JSON object' }],
    },
    {
      name: 'a COD amount over the limit on a quote, as on a shipment',
      method: 'post',
      path: '/v1/quotes',
      body: {
        originAddressId: addressId,
        destination: { city: 'Surabaya', province: 'Jawa Timur', postalCode: '60111' },
        parcel: { weightGrams: 1000 },
        codAmount: 60_000_000,
      },
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'codAmount', message: 'codAmount must not be greater than 50000000' }],
    },
    // What Fastify raises itself, in the contract's body.
    {
      name: 'invalid JSON (the answer does not echo it)',
      method: 'post',
      path: '/v1/addresses',
      raw: '{"password":"hunter2",',
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'is not valid JSON' }],
    },
    // Prototype poisoning is refused naming the field, not as invalid JSON (it is valid JSON).
    ...(
      [
        ['{"__proto__":{"admin":true},"label":"Gudang"}', '__proto__'],
        ['{"constructor":{"prototype":{"admin":true}}}', 'constructor'],
        ['{"label":"Gudang","phone":{"\\u005f_proto__":{"admin":true}}}', 'phone.__proto__'],
      ] as const
    ).map(([raw, field]): Case => ({
      name: `a poisoning key: ${raw}`,
      method: 'post',
      path: '/v1/addresses',
      raw,
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field, message: `property ${field.split('.').pop()} should not exist` }],
    })),
    {
      name: 'an empty JSON body',
      method: 'post',
      path: '/v1/addresses',
      raw: '',
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'is empty but its Content-Type says JSON' }],
    },
    {
      name: 'JSON that is not UTF-8',
      method: 'post',
      path: '/v1/addresses',
      raw: Buffer.from([0x7b, 0x22, 0x6c, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]),
      contentType: 'application/json',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'is not valid UTF-8 text' }],
    },
    {
      name: 'JSON declared Latin-1',
      method: 'post',
      path: '/v1/addresses',
      raw: JSON.stringify(validAddress()),
      contentType: 'application/json; charset=iso-8859-1',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: [],
      message: 'charset iso-8859-1 is not supported: JSON must be UTF-8',
    },
    // No content coding is decoded: a compressed body was read as its compressed bytes, and a body that
    // said it was compressed and was not was taken as plain.
    {
      name: 'gzipped JSON',
      method: 'post',
      path: '/v1/addresses',
      raw: gzipSync(JSON.stringify(validAddress())),
      contentType: 'application/json',
      headers: { 'content-encoding': 'gzip' },
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: [],
      message: 'Content-Encoding gzip is not supported: send the body uncompressed',
    },
    {
      name: 'plain JSON said to be Brotli (login, before authentication)',
      method: 'post',
      path: '/v1/auth/login',
      raw: JSON.stringify({ email: 'a@x.id', password: 'x' }),
      contentType: 'application/json',
      headers: { 'content-encoding': 'identity, br' },
      public: true,
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: [],
      message: 'Content-Encoding br is not supported: send the body uncompressed',
    },
    {
      name: 'a gzipped CSV',
      method: 'post',
      path: '/v1/shipments/bulk',
      raw: gzipSync('reference\nA\n'),
      contentType: 'text/csv',
      headers: { 'content-encoding': 'GZIP' },
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: [],
      message: 'Content-Encoding gzip is not supported: send the body uncompressed',
    },
    {
      name: 'a text/plain body',
      method: 'post',
      path: '/v1/addresses',
      raw: 'label=Gudang',
      contentType: 'text/plain',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: [],
      message:
        'Send the body as application/json (text/csv is read by POST /v1/shipments/bulk and POST /v1/finance/remittances)',
    },
    {
      name: 'a form body',
      method: 'post',
      path: '/v1/auth/login',
      raw: 'email=a%40x.id&password=x',
      contentType: 'application/x-www-form-urlencoded',
      public: true,
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: [],
      message:
        'Send the body as application/json (text/csv is read by POST /v1/shipments/bulk and POST /v1/finance/remittances)',
    },
    {
      name: 'a CSV in a charset nobody reads',
      method: 'post',
      path: '/v1/shipments/bulk',
      raw: 'reference\nA\n',
      contentType: 'text/csv; charset=ebcdic',
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      details: [],
      message:
        'charset ebcdic is not supported for CSV: send UTF-8 (UTF-16 and Windows-1252/Latin-1 are also read)',
    },
    {
      name: 'a CSV that says UTF-8 and is not',
      method: 'post',
      path: '/v1/shipments/bulk',
      raw: Buffer.from('reference\nCaf\xe9\n', 'latin1'),
      contentType: 'text/csv; charset=utf-8',
      status: 400,
      code: 'VALIDATION_FAILED',
      details: [{ field: 'body', message: 'is not valid UTF-8 text' }],
    },
    {
      name: 'a body over 1 MB on a route that reads no more',
      method: 'post',
      path: '/v1/addresses',
      raw: `{"label":"${'x'.repeat(1024 * 1024)}"}`,
      contentType: 'application/json',
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      details: [],
      message: BODY_LIMITS_TEXT,
    },
    {
      // 700,000 keys (8 MB) held the event loop for seconds while parsed, before anyone signed in.
      name: 'a login body of 8 MB of keys, refused before it is parsed',
      method: 'post',
      path: '/v1/auth/login',
      raw: `{${Array.from({ length: 700_000 }, (_, i) => `"k${i}":0`).join(',')}}`,
      contentType: 'application/json',
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      details: [],
      message: BODY_LIMITS_TEXT,
      public: true,
    },
    {
      name: 'a courier push over 256 KB',
      method: 'post',
      path: '/v1/webhooks/couriers/jnt',
      raw: 'a=1&'.repeat(70_000),
      contentType: 'application/x-www-form-urlencoded',
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      details: [],
      message: BODY_LIMITS_TEXT,
      public: true,
    },
    {
      name: 'a bulk import over 10 MB',
      method: 'post',
      path: '/v1/shipments/bulk',
      raw: `[${'{},'.repeat(3.6 * 1024 * 1024)}{}]`,
      contentType: 'application/json',
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      details: [],
      message: BODY_LIMITS_TEXT,
    },
    {
      name: 'a path segment over the router’s limit (the answer does not echo it)',
      method: 'get',
      path: `/v1/addresses/${'a'.repeat(300)}`,
      status: 414,
      code: 'URI_TOO_LONG',
      details: [],
      message: 'A path segment of the URL is longer than 100 characters',
    },
    {
      name: 'a malformed percent-encoding in the path',
      method: 'get',
      path: '/v1/addresses/%ff%fe',
      status: 400,
      code: 'BAD_REQUEST',
      details: [],
      message: 'The URL is not valid (a malformed percent-encoding?)',
    },
  ];
};

describe('the request edge: every bad request gets the contract’s 4xx naming what was wrong, and writes nothing', () => {
  let t: TestApp;
  let http: supertest.Agent;
  let seller: TestSeller;
  let addressId: string;
  let shipmentId: string;

  beforeAll(async () => {
    t = await startTestApp();
    http = t.http();
    seller = await signupSeller(http);
    addressId = (await createAddress(http, seller)).id;
    shipmentId = (await createShipment(http, seller)).id;
  });
  afterAll(() => t.close());

  it('answers each case in the table exactly', async () => {
    const before = await snapshotTables(t.dataSource);
    const got: unknown[] = [];
    const want: unknown[] = [];
    for (const c of CASES(addressId, shipmentId)) {
      let req = http[c.method](c.path)
        .set(c.public ? {} : seller.auth)
        .set(c.headers ?? {});
      // serialize: sent as the bytes they are (superagent would JSON-encode a Buffer sent as JSON).
      if (c.raw !== undefined)
        req = req
          .set('content-type', c.contentType!)
          .serialize((x: unknown) => x as string)
          .send(c.raw);
      else if (c.body !== undefined) req = req.send(c.body as object);
      const res = await req;
      got.push({
        name: c.name,
        status: res.status,
        code: res.body.code,
        ...(c.details ? { details: res.body.details } : {}),
        ...(c.message ? { message: res.body.message } : {}),
      });
      want.push({
        name: c.name,
        status: c.status,
        code: c.code,
        ...(c.details ? { details: c.details } : {}),
        ...(c.message ? { message: c.message } : {}),
      });
      expect(res.body).toMatchObject({
        statusCode: c.status,
        error: expect.any(String),
        message: expect.any(String),
        details: expect.any(Array),
        requestId: res.headers['x-request-id'],
      });
    }
    expect(got).toEqual(want);
    expect(await snapshotTables(t.dataSource)).toEqual(before);
  });

  it('answers with headers that keep private answers out of caches and the docs out of frames', async () => {
    for (const res of [
      await http.get('/v1/settings').set(seller.auth).expect(200),
      await http.post('/v1/api-keys').set(seller.auth).send({}).expect(201),
      await http.get('/v1/shipments/not-an-id').set(seller.auth).expect(404),
    ]) {
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['cache-control']).toBe('no-store');
    }
    const docs = await http.get('/docs').redirects(1).expect(200);
    expect(docs.headers['x-frame-options']).toBe('DENY');
    expect(docs.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(docs.headers['x-content-type-options']).toBe('nosniff');
    expect((await http.get('/health').expect(200)).headers['x-content-type-options']).toBe('nosniff');
  });

  it('lets public routes take query parameters of their own (a probe’s), and a route with a query read its own', async () => {
    await http.get('/health?probe=lb-1').expect(200);
    await http.get('/v1/shipments?limit=1').set(seller.auth).expect(200);
    await http.get('/v1/me').set(seller.auth).expect(200);
  });

  it('answers headers over 16 KB (a long query string) with 431 in the contract’s body', async () => {
    const { status, body } = await rawRequest(t.url, `/v1/addresses?cursor=${'a'.repeat(20_000)}`);
    expect(status).toBe(431);
    expect(JSON.parse(body)).toEqual({
      statusCode: 431,
      error: 'Request Header Fields Too Large',
      code: 'HEADERS_TOO_LARGE',
      message: 'The request headers (URL included) are larger than the 16 KB limit',
      details: [],
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
  });

  it('answers an Expect it cannot meet in the contract’s body, meets 100-continue, and survives a CONNECT reset at once', async () => {
    const expectation = await exchange(
      t.url,
      'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    );
    expect(expectation).toMatch(/^HTTP\/1\.1 417 Expectation Failed\r\n/);
    expect(expectation).toMatch(/\r\nx-content-type-options: nosniff\r\n/i);
    expect(JSON.parse(expectation.split('\r\n\r\n')[1])).toEqual({
      statusCode: 417,
      error: 'Expectation Failed',
      code: 'EXPECTATION_FAILED',
      message: 'Expect: foo is not supported (only 100-continue)',
      details: [],
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    // 100-continue is still met: the body follows and is answered.
    const continued = await exchange(
      t.url,
      'POST /v1/auth/login HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}',
    );
    expect(continued).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 400 Bad Request\r\n/);
    // Kirim is no proxy: a CONNECT is closed unanswered, and a client resetting it at once harms nothing.
    const u = new URL(t.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(u.port), u.hostname, () => {
        socket.write('CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
        socket.resetAndDestroy();
        resolve();
      });
    });
    await new Promise((r) => setTimeout(r, 100));
    await http.get('/health').expect(200);
  });

  it('reads a body whose Content-Encoding names no compression (a charset sent there) as the plain body it is', async () => {
    const res = await http
      .post('/v1/auth/login')
      .set('content-type', 'application/json')
      .set('content-encoding', 'UTF-8')
      .send(JSON.stringify({ email: 'nobody@example.id', password: 'not the password' }));
    expect([res.status, res.body.code]).toEqual([401, 'AUTH_INVALID_CREDENTIALS']);
  });

  it('answers a path no route serves 404 without parsing its body, and reads no more of it than a route would', async () => {
    const send = (path: string, contentType: string, body: string | Buffer) =>
      http
        .post(path)
        .set('content-type', contentType)
        .serialize((x: unknown) => x as string)
        .send(body);
    // Not JSON, not Windows-1252 text a route would decode: never read as such, the path is still no route.
    for (const [contentType, body] of [
      ['application/json', '{"broken'],
      ['application/json; charset=utf-16', '{}'],
      ['text/csv; charset=windows-1252', Buffer.alloc(200_000, 0x80)],
      ['application/xml', '<a/>'],
    ] as const) {
      const res = await send('/v1/nope', contentType, body);
      expect([contentType, res.status, res.body.code]).toEqual([contentType, 404, 'NOT_FOUND']);
    }
    // A large upload's limit is its route's: no one else's, and no path's without a route.
    const rows = `[${'{},'.repeat(700_000)}{}]`;
    const unrouted = await send('/v1/shipments/nope', 'application/json', rows);
    expect([unrouted.status, unrouted.body.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
  });

  it('reads a bulk CSV saved as Windows-1252/Latin-1 or UTF-16, and keeps accented names intact', async () => {
    const header =
      'reference,originAddressId,recipientName,recipientPhone,recipientAddress,recipientCity,recipientProvince,recipientPostalCode,weightGrams';
    const row = (ref: string) =>
      `${ref},${addressId},Andrés Ñoño,081298765432,Jl. Café 5,Surabaya,Jawa Timur,60111,1000`;
    const latin1 = await http
      .post('/v1/shipments/bulk')
      .set(seller.auth)
      .set('content-type', 'text/csv; charset=ISO-8859-1')
      .send(Buffer.from(`${header}\n${row('CSV-LATIN1')}\n`, 'latin1'))
      .expect(200);
    const utf16 = await http
      .post('/v1/shipments/bulk')
      .set(seller.auth)
      .set('content-type', 'text/csv')
      .send(
        Buffer.concat([
          Buffer.from([0xff, 0xfe]),
          Buffer.from(`${header}\r\n${row('CSV-UTF16')}\r\n`, 'utf16le'),
        ]),
      )
      .expect(200);
    // Labelled plain "UTF-16", the byte order is the BOM's (big-endian here) or, without one, the zeros'.
    const utf16be = (bytes: Buffer) => Buffer.from(bytes.swap16());
    const labelled = [];
    // One after another: a seller may have two uploads running at once.
    for (const body of [
      Buffer.concat([
        Buffer.from([0xfe, 0xff]),
        utf16be(Buffer.from(`${header}\n${row('CSV-UTF16BE')}\n`, 'utf16le')),
      ]),
      utf16be(Buffer.from(`${header}\n${row('CSV-UTF16BE-NOBOM')}\n`, 'utf16le')),
      Buffer.from(`${header}\n${row('CSV-UTF16LE-NOBOM')}\n`, 'utf16le'),
    ])
      labelled.push(
        await http
          .post('/v1/shipments/bulk')
          .set(seller.auth)
          .set('content-type', 'text/csv; charset=utf-16')
          .send(body)
          .expect(200),
      );
    for (const res of [latin1, utf16, ...labelled]) {
      expect(res.body.errors).toEqual([]);
      expect(
        res.body.created.map((s: { recipient: { name: string; address: string } }) => s.recipient),
      ).toEqual([expect.objectContaining({ name: 'Andrés Ñoño', address: 'Jl. Café 5' })]);
    }
    // Windows-1252's own characters (a spreadsheet's curly quotes, dashes, the euro sign), not Latin-1's
    // control characters at those bytes; a byte the code page does not define is refused.
    const quoted = await http
      .post('/v1/shipments/bulk')
      .set(seller.auth)
      .set('content-type', 'text/csv; charset=windows-1252')
      .send(
        Buffer.from(
          `${header}\n${row('CSV-CP1252').replace('Andrés Ñoño', 'Budi \x93Toko\x94 \x96 \x80')}\n`,
          'latin1',
        ),
      )
      .expect(200);
    expect(quoted.body.errors).toEqual([]);
    expect(quoted.body.created[0].recipient.name).toBe('Budi “Toko” – €');
    const undefinedByte = await http
      .post('/v1/shipments/bulk')
      .set(seller.auth)
      .set('content-type', 'text/csv; charset=windows-1252')
      .send(
        Buffer.from(`${header}\n${row('CSV-CP1252-BAD').replace('Andrés Ñoño', 'Budi \x81')}\n`, 'latin1'),
      )
      .expect(400);
    expect(undefinedByte.body.details).toEqual([
      { field: 'body', message: 'is not valid WINDOWS-1252 text' },
    ]);
  });

  it('refuses a field named as one every object inherits (constructor, toString…), one by one and as a bulk row’s error', async () => {
    // class-transformer passes such a key over unsaid, so validation never saw it: the shipment was created.
    const one = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...validShipment(addressId, 'INHERIT-1'), constructor: 'x' })
      .expect(400);
    expect(one.body.details).toEqual([
      { field: 'constructor', message: 'property constructor should not exist' },
    ]);
    const nested = validShipment(addressId, 'INHERIT-2');
    const inner = await http
      .post('/v1/shipments')
      .set(seller.auth)
      .send({ ...nested, recipient: { ...nested.recipient, toString: 'x' } })
      .expect(400);
    expect(inner.body.details).toEqual([
      { field: 'recipient.toString', message: 'property toString should not exist' },
    ]);
    const bulk = await http
      .post('/v1/shipments/bulk')
      .set(seller.auth)
      .send([
        validShipment(addressId, 'INHERIT-OK'),
        { ...validShipment(addressId, 'INHERIT-3'), hasOwnProperty: 1 },
        { ...nested, reference: 'INHERIT-4', parcel: { ...nested.parcel, valueOf: 2 } },
      ])
      .expect(200);
    expect(bulk.body.created.map((s: { reference: string }) => s.reference)).toEqual(['INHERIT-OK']);
    expect(bulk.body.errors).toEqual([
      { row: 2, details: [{ field: 'hasOwnProperty', message: 'property hasOwnProperty should not exist' }] },
      { row: 3, details: [{ field: 'parcel.valueOf', message: 'property valueOf should not exist' }] },
    ]);
    const [{ n }] = await t.dataSource.query(
      "SELECT count(*)::int AS n FROM shipments WHERE reference LIKE 'INHERIT-%' AND reference <> 'INHERIT-OK'",
    );
    expect(n).toBe(0);
  });

  it('in a bulk import, a row with a NUL or a lone surrogate is that row’s error and the valid rows are kept', async () => {
    const ok = validShipment(addressId, 'BULK-NUL-OK');
    const nul = validShipment(addressId, 'BULK-NUL-1');
    const rows = [
      ok,
      { ...nul, recipient: { ...nul.recipient, address: 'Jl.\u0000' } },
      validShipment(addressId, 'BULK-SUR'),
    ];
    // A lone surrogate cannot be written by JSON.stringify: it is spelled as its escape in the JSON text.
    const json = JSON.stringify(rows).replace('"BULK-SUR"', '"BULK-\\udc00"');
    const res = await http
      .post('/v1/shipments/bulk')
      .set(seller.auth)
      .set('content-type', 'application/json')
      .send(json)
      .expect(200);
    expect(res.body.created.map((s: { reference: string }) => s.reference)).toEqual(['BULK-NUL-OK']);
    expect(res.body.errors).toEqual([
      {
        row: 2,
        details: [{ field: 'recipient.address', message: 'must not contain a NUL character (\\u0000)' }],
      },
      {
        row: 3,
        details: [{ field: 'reference', message: 'must be valid Unicode text (it has a lone surrogate)' }],
      },
    ]);
    const csv = await http
      .post('/v1/shipments/bulk')
      .set(seller.auth)
      .set('content-type', 'text/csv')
      .send(
        'reference,originAddressId,recipientName,recipientPhone,recipientAddress,recipientCity,recipientProvince,recipientPostalCode,weightGrams\n' +
          `CSV-NUL-OK,${addressId},Budi,081298765432,Jl. Tunjungan 5,Surabaya,Jawa Timur,60111,1000\n` +
          `CSV-NUL-1,${addressId},Bu\u0000di,081298765432,Jl. Tunjungan 5,Surabaya,Jawa Timur,60111,1000\n`,
      )
      .expect(200);
    expect(csv.body.created.map((s: { reference: string }) => s.reference)).toEqual(['CSV-NUL-OK']);
    expect(csv.body.errors).toEqual([
      {
        row: 2,
        line: 3,
        details: [{ field: 'recipient.name', message: 'must not contain a NUL character (\\u0000)' }],
      },
    ]);
  });
});

/** `text` written on a plain socket, and everything answered until the server closes the connection. */
function exchange(base: string, text: string): Promise<string> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    let got = '';
    const socket = connect(Number(u.port), u.hostname, () => socket.write(text));
    // A server that never closes (a bare answer kept alive) ends the exchange after a while, not the test.
    socket.setTimeout(5000, () => socket.destroy());
    socket.on('data', (d) => (got += d.toString()));
    socket.on('error', reject);
    socket.on('close', () => resolve(got));
  });
}

/** A GET over a plain socket, so a URL the client library would refuse to send still goes out. */
function rawRequest(base: string, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: 'GET', maxHeaderSize: 64 * 1024 }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('a body that never finishes arriving', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(() => t.close());

  /** Sends `head` and each of `chunks` (after its delay, ms) on one connection; all it got once it closed. */
  const converse = (head: string, chunks: [number, string][]) => {
    const u = new URL(t.url);
    return new Promise<string>((resolve, reject) => {
      let got = '';
      const socket = connect(Number(u.port), u.hostname, () => {
        socket.write(head);
        for (const [delay, chunk] of chunks) setTimeout(() => socket.writable && socket.write(chunk), delay);
      });
      socket.on('data', (d) => {
        got += d.toString();
        // A complete answer (the body after the blank line has its Content-Length) ends the conversation.
        const [headers, body = ''] = got.split('\r\n\r\n');
        const length = /content-length: (\d+)/i.exec(headers);
        if (length && Buffer.byteLength(body) >= Number(length[1])) socket.end();
      });
      socket.on('error', reject);
      socket.on('close', () => resolve(got));
    });
  };

  it('is answered 401 at once, its body not waited for, when it came with no credential', async () => {
    const got = await converse(
      'POST /v1/shipments/bulk HTTP/1.1\r\nHost: x\r\ncontent-type: text/csv\r\ncontent-length: 1000\r\n\r\nreference',
      [],
    );
    expect(got).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    // Its answer alone (the body it never finished is still given its time on the connection, as any).
    const [head, ...rest] = got.split('\r\n\r\n');
    const length = Number(/content-length: (\d+)/i.exec(head)![1]);
    expect(JSON.parse(rest.join('\r\n\r\n').slice(0, length))).toMatchObject({
      code: 'AUTH_UNAUTHENTICATED',
    });
  });

  it('is answered 401 at once when its credential is made up, a token or an API key, the body not waited for', async () => {
    for (const credential of ['authorization: Bearer made.up.token', 'x-api-key: kirim_madeup']) {
      const got = await converse(
        `POST /v1/shipments/bulk HTTP/1.1\r\nHost: x\r\n${credential}\r\ncontent-type: text/csv\r\ncontent-length: 1000\r\n\r\nreference`,
        [],
      );
      expect({ credential, answer: got.split('\r\n')[0] }).toEqual({
        credential,
        answer: 'HTTP/1.1 401 Unauthorized',
      });
      const [head, ...rest] = got.split('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(head)![1]);
      expect(JSON.parse(rest.join('\r\n\r\n').slice(0, length))).toMatchObject({
        code: 'AUTH_INVALID_TOKEN',
      });
    }
  });

  it('is answered 403 at once, the body not waited for, when its caller’s role may not upload there', async () => {
    const seller = await signupSeller(t.http());
    const finance = await createOperator(t, t.http(), 'finance');
    for (const [who, auth, path] of [
      ['a seller, on the finance report', seller.auth, '/v1/finance/remittances?courier=jne'],
      ['finance, on a seller’s import', finance.auth, '/v1/shipments/bulk'],
    ] as const) {
      const got = await converse(
        `POST ${path} HTTP/1.1\r\nHost: x\r\nauthorization: ${auth.authorization}\r\ncontent-type: text/csv\r\ncontent-length: 1000\r\n\r\nreference`,
        [],
      );
      const [head, ...rest] = got.split('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
      expect({
        who,
        answer: head.split('\r\n')[0],
        body: JSON.parse(rest.join('\r\n\r\n').slice(0, length)),
      }).toEqual({
        who,
        answer: 'HTTP/1.1 403 Forbidden',
        body: expect.objectContaining({ code: 'AUTH_FORBIDDEN' }),
      });
    }
  });

  it('is answered 415 at once, the body not read, when its type or coding is one its route does not read', async () => {
    const seller = await signupSeller(t.http());
    const finance = await createOperator(t, t.http(), 'finance');
    for (const [what, auth, path, headers] of [
      ['plain text to a JSON route', seller.auth, '/v1/addresses', 'content-type: text/plain'],
      [
        'JSON to the CSV-only report',
        finance.auth,
        '/v1/finance/remittances?courier=jne',
        'content-type: application/json',
      ],
      [
        'a gzipped import',
        seller.auth,
        '/v1/shipments/bulk',
        'content-type: text/csv\r\ncontent-encoding: gzip',
      ],
      ['JSON in Latin-1', seller.auth, '/v1/addresses', 'content-type: application/json; charset=iso-8859-1'],
    ] as const) {
      // 100 KB announced, a few bytes sent: read first, it would wait for the rest and time out (408).
      const got = await converse(
        `POST ${path} HTTP/1.1\r\nHost: x\r\nauthorization: ${auth.authorization}\r\n${headers}\r\ncontent-length: 100000\r\n\r\n{"a"`,
        [],
      );
      const [head, ...rest] = got.split('\r\n\r\n');
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1]);
      expect({
        what,
        answer: head.split('\r\n')[0],
        code: (JSON.parse(rest.join('\r\n\r\n').slice(0, length)) as { code: string }).code,
      }).toEqual({ what, answer: 'HTTP/1.1 415 Unsupported Media Type', code: 'UNSUPPORTED_MEDIA_TYPE' });
    }
    // A GET's body is never read, whatever its type: the GET is answered as any.
    const get = await converse(
      `GET /v1/addresses HTTP/1.1\r\nHost: x\r\nauthorization: ${seller.auth.authorization}\r\ncontent-type: text/plain\r\ncontent-length: 5\r\n\r\nhello`,
      [],
    );
    expect(get.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  });

  it('is refused 401 when its session ends while the body arrives: a good credential is checked again', async () => {
    const seller = await signupSeller(t.http());
    const body = 'reference\nLATE-1\n';
    const u = new URL(t.url);
    const socket = connect(Number(u.port), u.hostname);
    let got = '';
    // Its whole answer: the head, then the body its Content-Length gives.
    const answered = new Promise<void>((resolve, reject) => {
      socket.on('data', (d) => {
        got += d.toString();
        const [headers, rest = ''] = got.split('\r\n\r\n');
        const length = /content-length: (\d+)/i.exec(headers);
        if (length && Buffer.byteLength(rest) >= Number(length[1])) resolve();
      });
      socket.on('error', reject);
      socket.on('close', () => resolve());
    });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write(
      `POST /v1/shipments/bulk HTTP/1.1\r\nHost: x\r\nauthorization: ${seller.auth.authorization}\r\ncontent-type: text/csv\r\ncontent-length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    // Time for the check before the body (a few milliseconds) to pass first; were it later, it would refuse.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await t.http().post('/v1/auth/logout').set(seller.auth).expect(204);
    socket.write(body.slice(5));
    await answered;
    socket.destroy();
    expect(got).toMatch(/^HTTP\/1\.1 401 Unauthorized\r\n/);
    expect(JSON.parse(got.split('\r\n\r\n')[1])).toMatchObject({ code: 'AUTH_INVALID_TOKEN' });
  });

  it('is answered 408 in the contract’s body and its connection closed (REQUEST_TIMEOUT_MS)', async () => {
    // A good credential's upload is read: the body is waited for.
    const seller = await signupSeller(t.http());
    const got = await converse(
      `POST /v1/shipments/bulk HTTP/1.1\r\nHost: x\r\nauthorization: ${seller.auth.authorization}\r\ncontent-type: text/csv\r\ncontent-length: 1000\r\n\r\nreference`,
      [],
    );
    expect(got).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(JSON.parse(got.split('\r\n\r\n')[1])).toMatchObject({
      statusCode: 408,
      code: 'REQUEST_TIMEOUT',
      message: 'The request was not received in time',
    });
  });

  it('while a body sent in pieces within the limit is read as usual', async () => {
    const body = JSON.stringify({ email: 'nobody@example.com', password: 'not the password' });
    const got = await converse(
      `POST /v1/auth/login HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`,
      [
        [100, body.slice(0, 10)],
        [300, body.slice(10)],
      ],
    );
    expect(got).toMatch(/^HTTP\/1\.1 401 /);
    expect(JSON.parse(got.split('\r\n\r\n')[1]).code).toBe('AUTH_INVALID_CREDENTIALS');
  });
});
