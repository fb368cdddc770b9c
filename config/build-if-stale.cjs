/**
 * Builds `dist/` (the service, and the dashboard in dist/dashboard) only when its inputs changed since the last build, so `npm start` and `npm run cli` start
 * from the compiled output at once (a no-change compilation alone costs ~5 s). The inputs' content hash
 * is kept in `dist/.build-stamp`; content rather than mtimes, so a checkout that touches files without
 * changing them costs nothing and a deleted or reverted file still counts as a change.
 *
 * Plain CommonJS because it runs before anything is compiled. It lives in config/ beside what decides
 * the build (tsconfig.json, nest-cli.json) and outside src/, which holds only what is compiled into
 * the service.
 *
 * The service and the dashboard are built separately (see TARGETS), each only when its own inputs changed.
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

/**
 * The two builds and what each is made from. The service (compiled into dist/src, dist/config, …) and
 * the dashboard (vite build of src/dashboard into dist/dashboard) have their own inputs and stamps, so a
 * change to one does not rebuild the other.
 */
const TARGETS = [
  {
    name: 'dist/',
    dirs: ['src', 'config', 'migrations'],
    skip: ['src/dashboard'],
    files: ['tsconfig.json', 'nest-cli.json', 'package-lock.json'],
    outputs: ['dist/src/main.js', 'dist/src/cli.js'],
    stamp: 'dist/.build-stamp',
    build: buildService,
  },
  {
    name: 'dist/dashboard/',
    dirs: ['src/dashboard'],
    skip: [],
    files: ['package-lock.json'],
    outputs: ['dist/dashboard/index.html'],
    stamp: 'dist/.dashboard-stamp',
    build: buildDashboard,
  },
];
const [SERVICE] = TARGETS;

function filesUnder(root, dir, skip) {
  const abs = join(root, dir);
  if (!existsSync(abs) || skip.includes(dir.split(sep).join('/'))) return [];
  return readdirSync(abs, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(root, path, skip);
    return entry.isFile() ? [path] : [];
  });
}

/** Hash of every input's path and content under `root` (the service's inputs unless a target is given). */
function sourceHash(root = ROOT, target = SERVICE) {
  const files = [...target.dirs.flatMap((d) => filesUnder(root, d, target.skip)), ...target.files]
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

/** True when the target's output was built from exactly the current inputs. */
function isCurrent(root = ROOT, hash = sourceHash(root), target = SERVICE) {
  if (!target.outputs.every((f) => existsSync(join(root, f)))) return false;
  const stamp = join(root, target.stamp);
  return existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash;
}

function devTool(root, path) {
  try {
    return require.resolve(path, { paths: [root] });
  } catch {
    return null;
  }
}

function run(root, script, args, what, env = process.env) {
  // Progress on stderr, so a command's own output stays clean.
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, env, stdio: ['ignore', 2, 2] });
  if (result.status !== 0) throw new Error(`${what} failed (exit ${result.status ?? result.signal})`);
}

/** Compiles the service as `nest build` would (compile-service.cjs says why not `nest build` itself). */
function buildService(root) {
  // tsc's incremental state does not notice deleted outputs: without the entry points, build from scratch.
  if (!SERVICE.outputs.every((f) => existsSync(join(root, f))))
    rmSync(join(root, 'dist/.tsbuildinfo'), { force: true });
  run(root, join(root, 'config/compile-service.cjs'), [], "the service's compilation");
}

/** Runs `vite build` on src/dashboard (its config says where the files go). */
function buildDashboard(root) {
  const vite = join(root, 'node_modules/vite/bin/vite.js');
  run(
    root,
    vite,
    ['build', '--config', 'src/dashboard/vite.config.mjs', '--logLevel', 'warn'],
    'vite build',
    {
      ...process.env,
      // Whatever runs the build (jest sets NODE_ENV=test), the dashboard is built for production.
      NODE_ENV: 'production',
    },
  );
}

const hasDevDependencies = (root) =>
  devTool(root, '@nestjs/cli/bin/nest.js') !== null &&
  existsSync(join(root, 'node_modules/vite/bin/vite.js'));

function main(args) {
  const root = ROOT;
  if (
    args.includes('--prepare') &&
    (!hasDevDependencies(root) || !statSync(join(root, 'src'), { throwIfNoEntry: false }))
  )
    return; // a production install (npm ci --omit=dev) has nothing to build with
  for (const target of TARGETS) {
    const hash = sourceHash(root, target);
    if (!args.includes('--force') && isCurrent(root, hash, target)) continue;
    if (!hasDevDependencies(root))
      throw new Error('cannot build: the dev dependencies are not installed (run npm install)');
    process.stderr.write(`building ${target.name} (sources changed since the last build)\n`);
    target.build(root);
    writeFileSync(join(root, target.stamp), `${hash}\n`);
  }
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
