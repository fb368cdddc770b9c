import { parseRevocation } from 'src/auth/auth-revocations';

const ID = '3f1b2c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

describe('parseRevocation', () => {
  it('reads each kind announce writes', () => {
    for (const revocation of [{ user: ID }, { session: ID }, { apiKey: ID }])
      expect(parseRevocation(JSON.stringify(revocation))).toEqual(revocation);
  });

  it('takes nothing else: not JSON, another kind, more than one kind, an id that is no UUID', () => {
    for (const payload of [
      'user:' + ID,
      'null',
      '[]',
      JSON.stringify({ seller: ID }),
      JSON.stringify({ user: ID, apiKey: ID }),
      JSON.stringify({ user: 'kirim_secret' }),
      JSON.stringify({ user: 42 }),
      JSON.stringify({}),
    ])
      expect(parseRevocation(payload)).toBeNull();
  });
});
