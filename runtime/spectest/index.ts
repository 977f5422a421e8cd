/**
 * The spec runner as a library: engines (data; the interpreter is `interp`),
 * the `spectest` host module, script execution and the tallies the CLI prints.
 */
export { registerEngine, engines, findEngine } from './engine.js';
export type { BitsValue, ClassifiedError, EngineEntry, EngineInstance, FailureKind, SpecEngine } from './engine.js';
export { createInterpEngine } from './interp-engine.js';
export { createAotEngine, toBits, toCanonical } from './engines/aot.js';
export { createAotDeoptEngine } from './engines/aot-deopt.js';
export { spectestExports } from './host.js';
export { runScriptFile, Script } from './script.js';
export type { CommandOutcome, Status } from './script.js';
export { listScripts, runSpecFile, runSpecSuite, selected, zeroCounts } from './runner.js';
export type { Counts, Failure, FileResult, SuiteOptions, SuiteResult } from './runner.js';
export { KnownFailures, loadKnownFailures, parseKnownFailures } from './known-failures.js';
export type { KnownFailure } from './known-failures.js';
export { defaultSpecDir, knownFailuresPath, projectRoot } from './paths.js';
