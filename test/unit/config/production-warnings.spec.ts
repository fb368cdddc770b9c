import { COURIER_ENV, loadConfig } from 'config';
import { productionWarnings } from 'src/main';

const SECRETS = {
  NODE_ENV: 'production',
  JWT_SECRET: 'production-secret-production-secret-0123',
  PHONE_HASH_SALT: 'production-phone-salt',
  METRICS_TOKEN: 'production-metrics-token-0123456789',
};

describe('a production start on what is meant for development', () => {
  it('is said: the embedded database, each sandboxed courier, the sandbox payout provider', () => {
    const warnings = productionWarnings(loadConfig(SECRETS, {}));
    expect(warnings).toEqual([
      expect.stringContaining('NODE_ENV=production on the embedded PostgreSQL'),
      expect.stringContaining('couriers in sandbox mode (jne, jnt, sap, ninja, idexpress)'),
      expect.stringContaining('sandbox payout provider'),
    ]);
  });

  it('names only the couriers still sandboxed, and says nothing outside production', () => {
    const jne = Object.fromEntries(
      COURIER_ENV.jne.map((name) => [name, name.endsWith('URL') ? 'https://jne.example' : 'x1']),
    );
    const warnings = productionWarnings(
      loadConfig({ ...SECRETS, ...jne, DATABASE_URL: 'postgres://kirim:pw@db.example:5432/kirim' }, {}),
    );
    expect(warnings).toEqual([
      expect.stringContaining('(jnt, sap, ninja, idexpress)'),
      expect.stringContaining('sandbox payout provider'),
    ]);
    expect(productionWarnings(loadConfig({}, {}))).toEqual([]);
  });
});
