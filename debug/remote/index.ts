/**
 * debug/remote: debugging a program that runs in another thread. The
 * protocol (DAP requests and events), the shared mailbox (SharedArrayBuffer
 * + Atomics), the worker-side server over a DebugSession and the
 * controller-side asynchronous client. Free of runtime/: runtime/remote
 * starts the worker and runs the program.
 */
export { Mailbox, MailboxTimeout } from './mailbox.js';
export { RemoteServer, Disconnected } from './server.js';
export { DebugClient } from './client.js';
export type { ClientOptions, WorkerPort } from './client.js';
export { WorkerState } from './protocol.js';
export type {
  ArgsOf, BodyOf, Command, DapBreakpoint, DapSource, DapStackFrame, DapVariableJson, EventMessage, EventName, Events, Requests, RequestMessage, ResponseMessage,
} from './protocol.js';
