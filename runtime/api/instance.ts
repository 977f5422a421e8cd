/**
 * WasmflipInstance with native-debug mode wired in (instance-core.ts holds
 * the class; native-debug.ts compiles, loads and routes checkpointed code).
 * Everything but the `static` entry point imports this file.
 */
import { enableNativeDebug } from './instance-core.js';
import { loadNativeDebug } from './native-debug.js';

export * from './instance-core.js';

enableNativeDebug(loadNativeDebug);
