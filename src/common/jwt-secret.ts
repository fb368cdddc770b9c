import { AppConfig, SECRET_MIN_LENGTH } from 'config';
import { localSecret } from './local-secret';

/** JWT_SECRET when set (required in production); otherwise a development secret kept in DATA_DIR. */
export function resolveJwtSecret(config: AppConfig): string {
  return (
    config.auth.jwtSecret ??
    localSecret(config.database.dataDir, 'jwt-secret', 'JWT_SECRET', SECRET_MIN_LENGTH.JWT_SECRET)
  );
}

/** PHONE_HASH_SALT when set (required in production); otherwise a development salt kept in DATA_DIR. */
export function resolvePhoneHashSalt(config: AppConfig): string {
  return (
    config.auth.phoneHashSalt ??
    localSecret(
      config.database.dataDir,
      'phone-hash-salt',
      'PHONE_HASH_SALT',
      SECRET_MIN_LENGTH.PHONE_HASH_SALT,
    )
  );
}
