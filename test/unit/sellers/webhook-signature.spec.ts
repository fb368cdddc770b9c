import fc from 'fast-check';
import * as crypto from 'node:crypto';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { eventBody } from 'src/sellers/notifications/seller-event';
import { signatureHeader, verifySignature } from 'src/sellers/notifications/webhook-signature';

const SECRET = 'whsec_c2VjcmV0LW9mLXRva28tYmF0aWstc2VrYXI';
const AT = new Date('2026-11-02T01:00:00.000Z');
const T = 1793581200; // AT in unix seconds
const body = eventBody({
  id: '6f1c2b1e-8c1a-4d2e-9f3a-1b2c3d4e5f60',
  type: 'shipment.status_changed',
  createdAt: AT.toISOString(),
  data: { shipmentId: 'x', status: 'delivered', note: 'Diterima oleh Budi — ✓' },
});

describe('seller webhook signatures', () => {
  it('signs t.body with HMAC-SHA256 keyed by the secret text (a known value)', () => {
    const header = signatureHeader(SECRET, 'hello', AT);
    const expected = createHmac('sha256', SECRET).update(`${T}.hello`).digest('hex');
    expect(header).toBe(`t=${T},v1=${expected}`);
    expect(signatureHeader('k', '{}', new Date(0))).toBe(
      't=0,v1=' + createHmac('sha256', 'k').update('0.{}').digest('hex'),
    );
  });

  it('verifies what it signed, given as text or as the raw bytes received', () => {
    const header = signatureHeader(SECRET, body, AT);
    expect(verifySignature(SECRET, body, header, AT)).toEqual({ valid: true, timestamp: T });
    expect(verifySignature(SECRET, Buffer.from(body, 'utf8'), header, AT)).toEqual({
      valid: true,
      timestamp: T,
    });
  });

  it('refuses a tampered body, another secret, or a signature over another t', () => {
    const header = signatureHeader(SECRET, body, AT);
    expect(verifySignature(SECRET, body.replace('delivered', 'returned'), header, AT)).toEqual({
      valid: false,
      reason: 'mismatch',
    });
    expect(verifySignature(`${SECRET}x`, body, header, AT)).toEqual({ valid: false, reason: 'mismatch' });
    const forgedT = header.replace(`t=${T}`, `t=${T + 1}`);
    expect(verifySignature(SECRET, body, forgedT, AT)).toEqual({ valid: false, reason: 'mismatch' });
  });

  it('refuses any change to the body, whatever it is', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string(), fc.nat(), (original, insert, at) => {
        const header = signatureHeader(SECRET, original, AT);
        const i = at % (original.length + 1);
        const changed = original.slice(0, i) + insert + 'x' + original.slice(i);
        return !verifySignature(SECRET, changed, header, AT).valid;
      }),
    );
  });

  it('refuses a t outside the tolerance either way (replays), and accepts within it', () => {
    const header = signatureHeader(SECRET, body, AT);
    const plus = (s: number) => new Date(AT.getTime() + s * 1000);
    expect(verifySignature(SECRET, body, header, plus(300)).valid).toBe(true);
    expect(verifySignature(SECRET, body, header, plus(-300)).valid).toBe(true);
    expect(verifySignature(SECRET, body, header, plus(301))).toEqual({ valid: false, reason: 'too_old' });
    expect(verifySignature(SECRET, body, header, plus(-301))).toEqual({ valid: false, reason: 'too_new' });
    expect(verifySignature(SECRET, body, header, plus(3600), 7200).valid).toBe(true);
  });

  it('refuses a missing or malformed header, and accepts any matching v1 among several', () => {
    const v1 = createHmac('sha256', SECRET).update(`${T}.${body}`).digest('hex');
    for (const header of [undefined, '', 'v1=' + v1, `t=${T}`, `t=abc,v1=${v1}`, `t=${T},v1=zz`, 'garbage']) {
      expect([header, verifySignature(SECRET, body, header, AT)]).toEqual([
        header,
        { valid: false, reason: 'malformed' },
      ]);
    }
    const other = 'a'.repeat(64);
    expect(verifySignature(SECRET, body, `t=${T},v1=${other},v1=${v1}`, AT).valid).toBe(true);
    expect(verifySignature(SECRET, body, ` t=${T} , v1=${v1.toUpperCase()} `, AT).valid).toBe(true);
  });

  it('freezes the body as { id, type, createdAt, data } in that order', () => {
    expect(Object.keys(JSON.parse(body) as object)).toEqual(['id', 'type', 'createdAt', 'data']);
    expect(() =>
      eventBody({ id: 'x', type: 'webhook.test', createdAt: AT.toISOString(), data: { n: 1n } }),
    ).toThrow(TypeError);
  });
});

describe('the verification code the README gives sellers', () => {
  type Verify = (raw: Buffer, header: string | undefined, secret: string, tolerance?: number) => boolean;
  const readme = readFileSync(join(__dirname, '../../../README.md'), 'utf8');
  const code = /```js\n([\s\S]*?function verifyKirimSignature[\s\S]*?)```/.exec(readme)![1];
  // Run as a seller would paste it: its require answers node:crypto.
  const verify = runInNewContext(`${code}\nverifyKirimSignature`, {
    require: () => crypto,
    Buffer,
  }) as Verify;

  it('accepts what Kirim signs now, and refuses a tampered body, another secret, an old t, no header', () => {
    const raw = Buffer.from(body, 'utf8');
    const now = new Date();
    const header = signatureHeader(SECRET, raw, now);
    expect(verify(raw, header, SECRET)).toBe(true);
    expect(verify(Buffer.from(body.replace('delivered', 'returned')), header, SECRET)).toBe(false);
    expect(verify(raw, header, `${SECRET}x`)).toBe(false);
    expect(verify(raw, signatureHeader(SECRET, raw, new Date(now.getTime() - 301_000)), SECRET)).toBe(false);
    expect(verify(raw, undefined, SECRET)).toBe(false);
    expect(verify(raw, `${header},v1=${'0'.repeat(64)}`, SECRET)).toBe(true);
  });
});
