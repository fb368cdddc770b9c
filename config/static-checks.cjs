/**
 * The static checks `npm test` runs before jest: lint, the type checks of the tests and the dashboard,
 * formatting and the dependency rules. Each is one process on one core; run as many at once as the
 * machine has cores, longest first, they take about the time of lint alone rather than their sum (on two
 * cores about 90 s rather than 150 s). Each check's output is printed whole when it ends, so two never
 * interleave; the exit code is 1 when any failed, naming each.
 *
 * Plain CommonJS, like build-if-stale.cjs: it runs before anything is compiled.
 *
 *   node config/static-checks.cjs
 */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: nothing is compiled yet */
const { Buffer } = require('node:buffer');
const { spawn } = require('node:child_process');
const { availableParallelism } = require('node:os');
const { delimiter, join } = require('node:path');

const ROOT = join(__dirname, '..');

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
    // node_modules/.bin on PATH, as npm puts it, so the script runs the same outside npm.
    const child = spawn(check.command, {
      cwd: ROOT,
      shell: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
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

async function main() {
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
  if (failed.length) {
    process.stderr.write(`static checks failed: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

void main();
