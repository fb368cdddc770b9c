import { Injectable } from '@nestjs/common';
import { queryPrepared } from 'src/database/prepared';
import { Transactions } from 'src/database/transaction';
import { ConflictError } from '../errors/app-error';

export type IdempotencyClaim =
  { kind: 'owner' } | { kind: 'replay'; status: number; body: string | null } | { kind: 'mismatch' };

const LOCK_NOT_AVAILABLE = '55P03';

/** How many times a claim tries again when the key's holder gave it up between the claim's two statements. */
const CLAIM_ATTEMPTS = 3;

/** 409 for a request whose key another request still holds. */
export const requestInProgress = () =>
  new ConflictError(
    'IDEMPOTENCY_REQUEST_IN_PROGRESS',
    'A request with this Idempotency-Key is still in progress',
  );

/** The response status of a claimed key whose request has not answered yet. */
export const IN_PROGRESS = 0;

/** Stored responses of creating requests, keyed per caller scope and Idempotency-Key. */
@Injectable()
export class IdempotencyRepository {
  constructor(private readonly tx: Transactions) {}

  /**
   * Claims (scope, key) inside the caller's transaction. A concurrent request holding the same key
   * makes the insert wait on the unique index until that request commits (then we replay its response)
   * or rolls back (then we own the key). An expired key is taken over.
   * @throws ConflictError IDEMPOTENCY_REQUEST_IN_PROGRESS when the other request takes too long.
   */
  async claim(
    scope: string,
    key: string,
    fingerprint: string,
    now: Date,
    expiresAt: Date,
    /** The same request as fingerprinted before fingerprints were keyed: a key stored then still replays. */
    formerFingerprint?: string,
  ): Promise<IdempotencyClaim> {
    // The holder found by the insert can give the key up (a leased request that failed deletes it) before the
    // read that follows: the key is free then, and claimed again.
    for (let attempt = 0; attempt < CLAIM_ATTEMPTS; attempt += 1) {
      if (await this.insertClaim(scope, key, fingerprint, now, expiresAt)) return { kind: 'owner' };
      // RETURNING did not run to clear the bound: clear it for the rest of an open transaction (outside
      // one, it ended with the statement).
      if (this.tx.open) await this.tx.manager.query(`SET LOCAL lock_timeout = 0`);
      const [row] = await this.tx.manager.query<
        { request_hash: string; response_status: number; response_body: string | null }[]
      >(
        'SELECT request_hash, response_status, response_body FROM idempotency_keys WHERE scope = $1 AND key = $2',
        [scope, key],
      );
      if (!row) continue;
      if (row.request_hash !== fingerprint && row.request_hash !== formerFingerprint)
        return { kind: 'mismatch' };
      return { kind: 'replay', status: row.response_status, body: row.response_body };
    }
    throw requestInProgress();
  }

  /** The claim's insert: true when this request now holds the key. */
  private async insertClaim(
    scope: string,
    key: string,
    fingerprint: string,
    now: Date,
    expiresAt: Date,
  ): Promise<boolean> {
    try {
      // The wait for a concurrent holder is bounded (15 s) and only that wait: the timeout is set by the
      // row's source, evaluated before the row meets the unique index, and cleared by RETURNING, evaluated
      // once the row is in — one round trip instead of three.
      const inserted = await queryPrepared(
        this.tx.manager,
        'idempotency_claim_bounded',
        `WITH bounded AS (SELECT set_config('lock_timeout', '15s', true))
         INSERT INTO idempotency_keys (scope, key, request_hash, response_status, created_at, expires_at)
         SELECT $1::text, $2::text, $3::text, 0, $4::timestamptz, $5::timestamptz FROM bounded
         ON CONFLICT (scope, key) DO UPDATE
           SET request_hash = EXCLUDED.request_hash, response_status = 0, response_body = NULL,
               created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
           WHERE idempotency_keys.expires_at <= EXCLUDED.created_at
         RETURNING set_config('lock_timeout', '0', true)`,
        [scope, key, fingerprint, now, expiresAt],
      );
      return inserted.length > 0;
    } catch (e) {
      if ((e as { code?: string }).code === LOCK_NOT_AVAILABLE) throw requestInProgress();
      throw e;
    }
  }

  /**
   * Stores the response (its exact JSON text, so a replay is byte-identical) in the owner's transaction;
   * or, for a claim committed with a lease (`leased`), only while that lease is still the claim's, keeping
   * the key until `expiresAt` from then on.
   */
  async complete(
    scope: string,
    key: string,
    status: number,
    body: string | null,
    leased?: { lease: Date; expiresAt: Date },
  ): Promise<void> {
    if (!leased) {
      await queryPrepared(
        this.tx.manager,
        'idempotency_complete',
        'UPDATE idempotency_keys SET response_status = $3, response_body = $4 WHERE scope = $1 AND key = $2',
        [scope, key, status, body],
      );
      return;
    }
    await this.tx.manager.query(
      `UPDATE idempotency_keys SET response_status = $3, response_body = $4, expires_at = $6
       WHERE scope = $1 AND key = $2 AND response_status = ${IN_PROGRESS} AND expires_at = $5`,
      [scope, key, status, body, leased.lease, leased.expiresAt],
    );
  }

  /** Gives up a leased claim whose request failed (the key may be used again at once). */
  async release(scope: string, key: string, lease: Date): Promise<void> {
    await this.tx.manager.query(
      `DELETE FROM idempotency_keys
       WHERE scope = $1 AND key = $2 AND response_status = ${IN_PROGRESS} AND expires_at = $3`,
      [scope, key, lease],
    );
  }

  /** Deletes keys past their retention; returns how many. */
  async deleteExpired(now: Date): Promise<number> {
    const [, count] = await this.tx.manager.query<[unknown, number]>(
      'DELETE FROM idempotency_keys WHERE expires_at <= $1',
      [now],
    );
    return count;
  }
}
