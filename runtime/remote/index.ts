/**
 * runtime/remote: a program run under the debugger in a worker thread, for
 * front ends that need their own thread free (DAP, GDB-remote servers).
 */
export { RemoteDebugger, workerFile } from './remote-debugger.js';
export type { LaunchOptions } from './remote-debugger.js';
