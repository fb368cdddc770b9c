import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

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

const output = (proc: KirimProcess) =>
  `stdout:\n${proc.stdout().slice(-3000)}\nstderr:\n${proc.stderr().slice(-3000)}`;

export async function stop(proc: KirimProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | string> {
  if (proc.child.exitCode === null) proc.child.kill(signal);
  return proc.exited;
}

/** Stops the process with `signal` and fails, showing its output, unless it exits 0 (a clean shutdown). */
export async function stopCleanly(proc: KirimProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const code = await stop(proc, signal);
  if (code !== 0) throw new Error(`exited with ${code} after ${signal}, not 0\n${output(proc)}`);
}

/** The service listening on `port`, ready. */
export interface StartedService {
  proc: KirimProcess;
  port: number;
  base: string;
}

/** The port the service logged that it listens on; fails if it exits first or after timeoutMs. */
async function listeningPort(proc: KirimProcess, timeoutMs = 60_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const logged = /listening on http:\/\/\S+:(\d+)/.exec(proc.stdout());
    if (logged) return Number(logged[1]);
    if (proc.child.exitCode !== null || proc.child.signalCode !== null)
      throw new Error(`the service exited before it listened\n${output(proc)}`);
    if (Date.now() > deadline) throw new Error(`the service neither listened nor exited\n${output(proc)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts the built service with `env` on a port the system chooses (PORT=0: no port chosen beforehand
 * that another process could take first) and waits until it is ready, on the port it logged.
 *
 * Unless `env` sets it, the shutdown grace is two minutes, not the default ten seconds: the grace only
 * guards against a shutdown that hangs, and a test that stops the service cleanly must not depend on how
 * busy the machine is (under a full test run the embedded PostgreSQL's shutdown checkpoint alone can take
 * seconds, and a CI run once saw a SIGTERM end in exit 1).
 */
export async function startService(
  env: Record<string, string>,
  options: { asUser?: { uid: number; gid: number } } = {},
): Promise<StartedService> {
  const proc = runBuilt('main', { SHUTDOWN_GRACE_MS: '120000', ...env, PORT: '0' }, [], options.asUser);
  const port = await listeningPort(proc);
  const base = `http://127.0.0.1:${port}`;
  await waitForReady(`${base}/health/ready`, proc);
  return { proc, port, base };
}
