/**
 * compiler/'s public surface: native.ts (the passes, loading, calling) wired
 * to the interpreter for the two things compiled code needs it for — where
 * the interpreter names a stopped state (the checkpoint pass's frame maps
 * must agree with it) and running a function that has no compiled code
 * (debug mode, SIMD). The `static` entry point imports native.ts instead and
 * loads none of the interpreter's execution engine.
 */
import { invoke, stopOffsetOf, stopStateIndex } from '../interpreter/index.js';
import { useStopNamer } from './passes/checkpoints.js';
import { useInterpreter } from './link/env.js';

export * from './native.js';

useStopNamer({ stopOffsetOf, stopStateIndex });
useInterpreter(invoke);
