import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const LOCK_FILE = 'kirim.pid';

/** Another live process holds the data folder; the message names it. */
export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `the data folder ${dataDir} is in use by process ${pid} (another Kirim service): stop it first, ` +
        'or give this one its own DATA_DIR or a DATABASE_URL',
    );
    this.name = 'DataDirInUseError';
  }
}

export interface DataDirLock {
  /** Removes the lock file if it is still ours. */
  release(): void;
}

interface Owner {
  pid: number;
  /** The process's start time (Linux), so a pid reused by an unrelated process does not count as the owner. */
  started?: string;
}

/** Fields of /proc/<pid>/stat from the third (state) on, where there is a /proc (Linux). */
function procStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces: count from its closing parenthesis.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

const startTimeOf = (pid: number): string | undefined => procStat(pid)?.[19]; // field 22, starttime

function parseOwner(text: string): Owner | null {
  const [pid, started] = text.split('\n');
  const n = Number(pid);
  return Number.isInteger(n) && n > 0 ? { pid: n, started: started || undefined } : null;
}

/** A process that exists and has not exited (a zombie, exited but not yet reaped, counts as gone). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return procStat(pid)?.[0] !== 'Z';
}

function isLive(owner: Owner): boolean {
  if (owner.pid === process.pid || !isProcessAlive(owner.pid)) return false;
  const started = startTimeOf(owner.pid);
  return !(owner.started && started && owner.started !== started);
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

/** The live process holding the data folder, if any. */
export function dataDirOwner(dataDir: string): number | null {
  const text = readIfExists(join(dataDir, LOCK_FILE));
  const owner = text === null ? null : parseOwner(text);
  return owner && isLive(owner) ? owner.pid : null;
}

/**
 * Takes the data folder for this process through `<dataDir>/kirim.pid`, created atomically (a complete
 * file is hard-linked into place, so no one ever reads it half-written). A lock left by a process that
 * is gone is taken over.
 * @throws DataDirInUseError naming the live process that holds it
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const mine = `${process.pid}\n${startTimeOf(process.pid) ?? ''}\n`;
  const draft = `${path}.${process.pid}.tmp`;
  writeFileSync(draft, mine);
  try {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      try {
        linkSync(draft, path);
        return {
          release: () => {
            if (readIfExists(path) === mine) rmSync(path, { force: true });
          },
        };
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const seen = readIfExists(path);
      if (seen === null) continue;
      const owner = parseOwner(seen);
      if (owner && isLive(owner)) throw new DataDirInUseError(resolve(dataDir), owner.pid);
      // Stale. Move it aside under our own name: rename is atomic, so of several processes taking over
      // at once only one moves this file. If what we moved is not the stale file we read, another
      // process took over first: put its lock back and look again.
      const aside = `${path}.${process.pid}.stale`;
      try {
        renameSync(path, aside);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
        throw e;
      }
      if (readIfExists(aside) !== seen) {
        try {
          linkSync(aside, path);
        } catch {
          // a third process locked meanwhile; the next look finds it
        }
      }
      rmSync(aside, { force: true });
    }
    throw new Error(`could not lock the data folder ${resolve(dataDir)}: it keeps changing hands`);
  } finally {
    rmSync(draft, { force: true });
  }
}
