/**
 * The static checks `npm test` runs beside jest: lint, the type checks of the tests and the dashboard,
 * formatting and the dependency rules. Each is one process on one core; run as many at once as the
 * machine has cores, longest first, they take about the time of lint alone rather than their sum. Each
 * check's output is printed whole when it ends, so two never interleave; the exit code is 1 when any
 * failed, naming each.
 *
 * With `--beside-jest` (what `npm test` runs) jest starts first, at the normal priority, and the checks run
 * at the lowest (nice 19) on the cores jest leaves idle: its suites wait on processes, sockets and browsers
 * for about a tenth of the run, which took the checks' minute and a half when they ran before it. The exit
 * code is 1 when either failed; jest's own code when only jest did.
 *
 * Plain CommonJS, like build-if-stale.cjs: it runs before anything is compiled.
 *
 *   node config/static-checks.cjs [--beside-jest [jest arguments]]
 */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: nothing is compiled yet */
const { Buffer } = require('node:buffer');
const { spawn } = require('node:child_process');
const { availableParallelism, constants, setPriority } = require('node:os');
const { delimiter, join } = require('node:path');

const ROOT = join(__dirname, '..');
/** node_modules/.bin on PATH, as npm puts it, so the script runs the same outside npm. */
const PATH_WITH_BIN = `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`;

/** Longest first, so the longest starts at once and the short ones fill the other cores. */
const CHECKS = [
  { name: 'lint', command: 'npm run --silent lint' },
  { name: 'types of the tests', command: 'tsc -p test/tsconfig.json' },
  { name: 'formatting', command: 'npm run --silent format:check' },
  { name: 'types of the dashboard', command: 'tsc -p src/dashboard' },
  { name: 'dependency rules', command: 'npm run --silent depcruise' },
];

function run(check) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(check.command, {
      cwd: ROOT,
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PATH: PATH_WITH_BIN,
      },
    });
    const output = [];
    child.stdout.on('data', (c) => output.push(c));
    child.stderr.on('data', (c) => output.push(c));
    child.on('close', (code, signal) => {
      const text = Buffer.concat(output).toString('utf8');
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      const ok = code === 0;
      process.stderr.write(`${ok ? 'passed' : 'FAILED'}: ${check.name} (${check.command}, ${seconds} s)\n`);
      if (text.trim()) process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
      resolve(ok ? null : `${check.name} (exit ${code ?? signal})`);
    });
  });
}

async function runChecks() {
  const queue = [...CHECKS];
  const failed = [];
  const worker = async () => {
    for (let check = queue.shift(); check; check = queue.shift()) {
      const failure = await run(check);
      if (failure) failed.push(failure);
    }
  };
  const lanes = Math.max(1, Math.min(availableParallelism(), CHECKS.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  if (failed.length) process.stderr.write(`static checks failed: ${failed.join(', ')}\n`);
  return failed.length === 0;
}

/** Jest with the terminal as its own, at this process's priority; resolves with its exit code. */
function runJest(args) {
  return new Promise((resolve) => {
    const child = spawn('jest', args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, PATH: PATH_WITH_BIN },
    });
    child.on('error', (e) => {
      process.stderr.write(`jest could not start: ${e.message}\n`);
      resolve(1);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main(argv) {
  const beside = argv[0] === '--beside-jest';
  if (!beside) {
    if (!(await runChecks())) process.exitCode = 1;
    return;
  }
  const jest = runJest(argv.slice(1));
  // Jest is started; what this process starts from now on inherits the lowest priority.
  try {
    setPriority(0, constants.priority.PRIORITY_LOW);
  } catch {
    /* not allowed here: the checks share the cores evenly, as before */
  }
  const [checksPassed, jestCode] = await Promise.all([runChecks(), jest]);
  if (!checksPassed) process.stderr.write('npm test: the static checks failed (above)\n');
  process.exitCode = jestCode !== 0 ? jestCode : checksPassed ? 0 : 1;
}

void main(process.argv.slice(2));
