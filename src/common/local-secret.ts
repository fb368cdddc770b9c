import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError } from 'config';

/**
 * A development secret generated once and kept in DATA_DIR (mode 600), so it survives restarts and
 * instances sharing DATA_DIR agree. Production sets the secret itself (config requires it).
 *
 * The file appears whole or not at all (written aside, then linked into place), and one read back that is
 * shorter than `minLength` (emptied, cut, edited) stops the start naming it and `setting`: signing tokens
 * with an empty key would let anyone forge them.
 */
export function localSecret(dataDir: string, name: string, setting: string, minLength: number): string {
  const file = resolve(dataDir, name);
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    const aside = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
    writeFileSync(aside, randomBytes(48).toString('base64url'), { mode: 0o600 });
    try {
      linkSync(aside, file);
    } catch (e) {
      // Another instance put its own in place first: use theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    } finally {
      unlinkSync(aside);
    }
  }
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < minLength)
    throw new ConfigError([
      {
        name: setting,
        message: `unset, and its generated file ${file} holds ${secret.length ? `only ${secret.length} characters` : 'nothing'} (at least ${minLength}): delete the file to have a new one made (tokens signed with the old one stop working), or set ${setting}`,
      },
    ]);
  return secret;
}
