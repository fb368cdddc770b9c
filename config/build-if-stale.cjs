/**
 * Builds `dist/` only when its inputs changed since the last build, so `npm start` and `npm run cli` start
 * from the compiled output at once (a no-change `nest build` alone costs ~5 s). The inputs' content hash
 * is kept in `dist/.build-stamp`; content rather than mtimes, so a checkout that touches files without
 * changing them costs nothing and a deleted or reverted file still counts as a change.
 *
 * Plain CommonJS because it runs before anything is compiled. It lives in config/ beside what decides
 * the build (tsconfig.json, nest-cli.json) and outside src/, which holds only what is compiled into
 * the service.
 *
 *   node config/build-if-stale.cjs           build when stale (npm start, npm run cli, npm test)
 *   node config/build-if-stale.cjs --force   build now (npm run build)
 *   node config/build-if-stale.cjs --prepare as above, but skip quietly without dev dependencies (npm install)
 */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: nothing is compiled yet */
const { spawnSync } = require('node:child_process');
const { createHash } = require('node:crypto');
const { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join, relative, sep } = require('node:path');

const ROOT = join(__dirname, '..');
const INPUT_DIRS = ['src', 'config', 'migrations'];
const INPUT_FILES = ['tsconfig.json', 'nest-cli.json', 'package-lock.json'];
const ENTRY_POINTS = ['dist/src/main.js', 'dist/src/cli.js'];
const STAMP = 'dist/.build-stamp';

function filesUnder(root, dir) {
  const abs = join(root, dir);
  if (!existsSync(abs)) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(root, path);
    return entry.isFile() ? [path] : [];
  });
}

/** Hash of every build input's path and content under `root`. */
function sourceHash(root = ROOT) {
  const files = [...INPUT_DIRS.flatMap((d) => filesUnder(root, d)), ...INPUT_FILES]
    .filter((f) => existsSync(join(root, f)))
    .map((f) => relative(root, join(root, f)).split(sep).join('/'))
    .sort();
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(`${file}\0`)
      .update(readFileSync(join(root, file)))
      .update('\0');
  return hash.digest('hex');
}

/** True when dist/ was built from exactly the current inputs. */
function isCurrent(root = ROOT, hash = sourceHash(root)) {
  if (!ENTRY_POINTS.every((f) => existsSync(join(root, f)))) return false;
  const stamp = join(root, STAMP);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash;
}

function nestCli(root) {
  try {
    return require.resolve('@nestjs/cli/bin/nest.js', { paths: [root] });
  } catch {
    return null;
  }
}

/** Runs `nest build` (progress on stderr, so a command's own output stays clean) and stamps the result. */
function build(root, hash) {
  const nest = nestCli(root);
  if (!nest) throw new Error('cannot build: the dev dependencies are not installed (run npm install)');
  // tsc's incremental state does not notice deleted outputs: without the entry points, build from scratch.
  if (!ENTRY_POINTS.every((f) => existsSync(join(root, f))))
    rmSync(join(root, 'dist/.tsbuildinfo'), { force: true });
  const result = spawnSync(process.execPath, [nest, 'build'], { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`nest build failed (exit ${result.status ?? result.signal})`);
  writeFileSync(join(root, STAMP), `${hash}\n`);
}

function main(args) {
  const root = ROOT;
  if (
    args.includes('--prepare') &&
    (!nestCli(root) || !statSync(join(root, 'src'), { throwIfNoEntry: false }))
  )
    return; // a production install (npm ci --omit=dev) has nothing to build with
  const hash = sourceHash(root);
  if (!args.includes('--force') && isCurrent(root, hash)) return;
  process.stderr.write('building dist/ (sources changed since the last build)\n');
  build(root, hash);
}

module.exports = { sourceHash, isCurrent, main };

if (require.main === module) {
  try {
    main(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
