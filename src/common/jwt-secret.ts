import { AppConfig } from 'config';
import { localSecret } from './local-secret';

/** JWT_SECRET when set (required in production); otherwise a development secret kept in DATA_DIR. */
export function resolveJwtSecret(config: AppConfig): string {
  return config.auth.jwtSecret ?? localSecret(config.database.dataDir, 'jwt-secret');
}
