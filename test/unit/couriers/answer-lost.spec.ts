import { answerMayBeLost, CourierUnavailableError, type UnavailableCause } from 'src/couriers/courier.errors';

/** Each failure, by its cause and code, is classed `lost` (the pair named in a failure's message). */
function expectClassed(failures: readonly (readonly [UnavailableCause, string])[], lost: boolean): void {
  for (const [reason, code] of failures)
    expect({
      reason,
      code,
      lost: answerMayBeLost(new CourierUnavailableError('jne', reason, code, 'a failure')),
    }).toEqual({ reason, code, lost });
}

describe('whether a failed courier call may have been acted on (answerMayBeLost)', () => {
  it('may, when the answer was lost: a timeout, a connection broken once made, a gateway timeout', () => {
    expectClassed(
      [
        ['timeout', 'ABORTED'],
        ['timeout', 'ETIMEDOUT'],
        ['network', 'ECONNRESET'], // reset, or an answer cut short (courier-http)
        ['network', 'EPIPE'],
        ['network', 'TOO_LARGE'], // an answer came, too large to read
        ['network', 'BAD_ENCODING'], // an answer came, undecodable
        ['network', 'SOMETHING_NEW'], // unknown: not proof that nothing was sent
        ['server_error', '504'],
        ['server_error', '502'],
        ['server_error', '524'],
      ],
      true,
    );
  });

  it('may not, when the courier never had the call or answered it without acting', () => {
    expectClassed(
      [
        ['network', 'ECONNREFUSED'],
        ['network', 'ENOTFOUND'],
        ['network', 'EAI_AGAIN'],
        ['network', 'EHOSTUNREACH'],
        ['network', 'PROXY_REFUSED'],
        ['network', 'CERT_HAS_EXPIRED'],
        ['network', 'ERR_TLS_CERT_ALTNAME_INVALID'],
        ['network', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'],
        ['server_error', '500'],
        ['server_error', '503'],
        ['rate_limited', '429'],
        ['circuit_open', 'OPEN'],
        ['bulkhead_full', 'FULL'],
      ],
      false,
    );
  });

  it('may, when the courier says in its answer that its backend timed out', () => {
    const said = (text: string) => new CourierUnavailableError('jne', 'server_error', '200', text);
    expect(answerMayBeLost(said('Gateway Time-out'))).toBe(true);
    expect(answerMayBeLost(said('upstream request timed out'))).toBe(true);
    expect(answerMayBeLost(said('Server sedang sibuk'))).toBe(false);
    // A pickup time refused is no timeout.
    expect(answerMayBeLost(said('pickup time out of range'))).toBe(false);
  });
});
