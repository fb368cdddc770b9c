import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from 'src/database/embedded-postgres';

const ROOT = join(__dirname, '..', '..');

export interface KirimProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
}

const running = new Set<ChildProcess>();

/** Kills every process runBuilt started that is still alive (for afterAll, so a failed test leaves none). */
export function killAll(): void {
  for (const child of running)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

/** Runs the built service (`dist/src/main.js`) or CLI with exactly `env` on top of PATH/HOME. */
export function runBuilt(
  script: 'main' | 'cli',
  env: Record<string, string>,
  args: string[] = [],
  asUser?: { uid: number; gid: number },
): KirimProcess {
  const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', `${script}.js`), ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: asUser ? '/tmp' : (process.env.HOME ?? '/tmp'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...asUser,
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls until GET url answers 200, or fails after timeoutMs (with the process output for diagnosis). */
export async function waitForReady(url: string, proc: KirimProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void proc.exited.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      const res = await fetch(url);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `${url} not ready (exited: ${exited})\nstdout:\n${proc.stdout().slice(-3000)}\nstderr:\n${proc.stderr().slice(-3000)}`,
  );
}

export async function stop(proc: KirimProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
  if (proc.child.exitCode === null) proc.child.kill(signal);
  return proc.exited;
}

/** The service listening on `port`, ready. */
export interface StartedService {
  proc: KirimProcess;
  port: number;
  base: string;
}

const output = (proc: KirimProcess) =>
  `stdout:\n${proc.stdout().slice(-3000)}\nstderr:\n${proc.stderr().slice(-3000)}`;

/** Resolves true once the service logged that it listens, false once it exited without, fails after timeoutMs. */
async function listensOrExits(proc: KirimProcess, timeoutMs = 60_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (/listening on/.test(proc.stdout())) return true;
    if (proc.child.exitCode !== null || proc.child.signalCode !== null) return false;
    if (Date.now() > deadline) throw new Error(`the service neither listened nor exited\n${output(proc)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts the built service on a free port and waits until it is ready. A port free when chosen may be
 * bound by another process before the service binds it: the service then exits with EADDRINUSE and is
 * started again on another port, after `beforeRetry` (e.g. until the failed attempt's own embedded
 * PostgreSQL has stopped). Ready means this process logged that it listens and the port answers, so
 * another server that took the port is never mistaken for the service.
 */
export async function startService(
  env: (port: number) => Record<string, string>,
  options: {
    asUser?: { uid: number; gid: number };
    beforeRetry?: () => Promise<void>;
    attempts?: number;
  } = {},
): Promise<StartedService> {
  const attempts = options.attempts ?? 5;
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const proc = runBuilt('main', env(port), [], options.asUser);
    if (await listensOrExits(proc)) {
      await waitForReady(`${base}/health/ready`, proc);
      return { proc, port, base };
    }
    if (!/EADDRINUSE/.test(proc.stdout() + proc.stderr()) || attempt >= attempts)
      throw new Error(`the service did not start on port ${port}\n${output(proc)}`);
    await options.beforeRetry?.();
  }
}
