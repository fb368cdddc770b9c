import { answerMayBeLost, CourierUnavailableError, type UnavailableCause } from 'src/couriers/courier.errors';

const failure = (reason: UnavailableCause, rawCode: string) =>
  new CourierUnavailableError('jne', reason, rawCode, 'a failure');

describe('whether a failed courier call may have been acted on (answerMayBeLost)', () => {
  it('may, when the answer was lost: a timeout, a connection broken once made, a gateway timeout', () => {
    for (const [reason, code] of [
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
    ] as const)
      expect({ reason, code, lost: answerMayBeLost(failure(reason, code)) }).toEqual({
        reason,
        code,
        lost: true,
      });
  });

  it('may not, when the courier never had the call or answered it without acting', () => {
    for (const [reason, code] of [
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
    ] as const)
      expect({ reason, code, lost: answerMayBeLost(failure(reason, code)) }).toEqual({
        reason,
        code,
        lost: false,
      });
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
