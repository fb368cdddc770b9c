/**
 * Compiles the service into dist/ as `nest build` does (tsconfig.json, its `src/*` and `config` paths
 * rewritten to relative ones by Nest's own hook), but checks before it emits. `nest build` emits first,
 * and the incremental state (dist/.tsbuildinfo) is written with the emit, before any file was checked:
 * it listed all 1,838 files as still to check, so every build checked every file again, changed or not
 * (33 s here with nothing changed). Checked first, the state lists none, and a build checks only what a
 * change can affect (a change to main.ts: 9 s).
 *
 * Plain CommonJS, run by build-if-stale.cjs: it runs before anything is compiled.
 *
 *   node config/compile-service.cjs     (exit 1, printing the errors, when the service does not compile)
 */
/* eslint-disable @typescript-eslint/no-require-imports -- CommonJS on purpose: nothing is compiled yet */
const ts = require('typescript');
// The hook `nest build` rewrites path aliases with, so dist/ is what it always was.
const { tsconfigPathsBeforeHookFactory } = require('@nestjs/cli/lib/compiler/hooks/tsconfig-paths.hook');

function compile(tsconfigPath) {
  const host = { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => report([d]) };
  const config = ts.getParsedCommandLineOfConfigFile(tsconfigPath, {}, host);
  if (!config) return 1;
  if (config.errors.length) return report(config.errors);
  const program = ts.createIncrementalProgram({
    rootNames: config.fileNames,
    options: config.options,
    projectReferences: config.projectReferences,
  });
  // Checked before the emit, so the state the emit writes holds every file's result.
  const problems = ts.getPreEmitDiagnostics(program);
  if (problems.length) return report(problems);
  const paths = tsconfigPathsBeforeHookFactory(config.options);
  const emitted = program.emit(undefined, undefined, undefined, undefined, {
    before: [paths],
    afterDeclarations: [paths],
  });
  return emitted.diagnostics.length ? report(emitted.diagnostics) : 0;
}

function report(diagnostics) {
  process.stderr.write(
    ts.formatDiagnosticsWithColorAndContext(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: ts.sys.getCurrentDirectory,
      getNewLine: () => ts.sys.newLine,
    }),
  );
  process.stderr.write(`Found ${diagnostics.length} error(s).\n`);
  return 1;
}

process.exitCode = compile(ts.sys.resolvePath('tsconfig.json'));
