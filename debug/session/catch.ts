/**
 * Syscall catchpoints (gdb's `catch syscall`): the "syscalls" of a Wasm
 * program are its WASI preview1 imports. This file knows the preview1
 * function names, checks the names a user gives against the module's WASI
 * imports, and words catchpoints the way gdb does.
 *
 * Invariant: a catchpoint only ever names functions the module imports from
 * `wasi_snapshot_preview1` (an empty list means any of them), so every name
 * it holds can be reported by the host's import wrapper.
 */
import type { Module } from '../../interpreter/index.js';
import type { Breakpoint } from './breakpoints.js';

export const WASI_MODULE = 'wasi_snapshot_preview1';

/** Every function of WASI preview1 (witx `wasi_snapshot_preview1`). */
export const WASI_FUNCTIONS: ReadonlySet<string> = new Set([
  'args_get', 'args_sizes_get', 'environ_get', 'environ_sizes_get', 'clock_res_get', 'clock_time_get',
  'fd_advise', 'fd_allocate', 'fd_close', 'fd_datasync', 'fd_fdstat_get', 'fd_fdstat_set_flags', 'fd_fdstat_set_rights',
  'fd_filestat_get', 'fd_filestat_set_size', 'fd_filestat_set_times', 'fd_pread', 'fd_prestat_get', 'fd_prestat_dir_name',
  'fd_pwrite', 'fd_read', 'fd_readdir', 'fd_renumber', 'fd_seek', 'fd_sync', 'fd_tell', 'fd_write',
  'path_create_directory', 'path_filestat_get', 'path_filestat_set_times', 'path_link', 'path_open', 'path_readlink',
  'path_remove_directory', 'path_rename', 'path_symlink', 'path_unlink_file',
  'poll_oneoff', 'proc_exit', 'proc_raise', 'sched_yield', 'random_get',
  'sock_accept', 'sock_recv', 'sock_send', 'sock_shutdown',
]);

/** The functions `module` imports from WASI preview1, sorted, each once. */
export function wasiImports(module: Module): string[] {
  const names = new Set<string>();
  for (const im of module.imports) if (im.module === WASI_MODULE && im.desc.kind === 'func') names.add(im.name);
  return [...names].sort();
}

/**
 * The syscalls a catchpoint on `names` watches (empty: any), or why it
 * cannot be set: a name that is no WASI function, or one the program never
 * imports (so it can never return), naming the ones it does import.
 */
export function resolveSyscalls(module: Module, names: readonly string[]): string[] | string {
  const imported = wasiImports(module);
  const known = imported.length ? `the program's WASI imports: ${imported.join(', ')}` : 'the program imports no WASI functions';
  if (imported.length === 0) return `No syscall to catch: ${known}.`;
  const out: string[] = [];
  for (const name of names) {
    if (!imported.includes(name)) {
      const why = WASI_FUNCTIONS.has(name) ? 'the program does not import it' : 'not a WASI preview1 function';
      return `Unknown syscall name '${name}': ${why} (${known}).`;
    }
    if (!out.includes(name)) out.push(name);
  }
  return out;
}

/** `syscall fd_write`, `syscalls fd_write fd_read`, `any syscall`: what `catch syscall` announces. */
export function catchTitle(syscalls: readonly string[]): string {
  if (syscalls.length === 0) return 'any syscall';
  return `${syscalls.length > 1 ? 'syscalls' : 'syscall'} ${syscalls.join(' ')}`;
}

/** The "What" column of `info breakpoints`, as gdb words it: `syscall "fd_write"`, `syscalls "fd_write, fd_read"`. */
export function catchWhat(syscalls: readonly string[]): string {
  if (syscalls.length === 0) return 'syscall "<any syscall>"';
  return `${syscalls.length > 1 ? 'syscalls' : 'syscall'} "${syscalls.join(', ')}"`;
}

/**
 * The ids of the catchpoints (of those whose syscall just returned) that
 * stop now: still there and enabled, condition true (an error in it stops,
 * as gdb does), past their ignore count; hits are counted here.
 */
export function catchHits(bps: readonly (Breakpoint | undefined)[], holds: (condition: string) => boolean, output: (text: string) => void): number[] {
  const hits: number[] = [];
  for (const bp of bps) {
    if (!bp || !bp.enabled) continue;
    if (bp.condition !== undefined) {
      try {
        if (!holds(bp.condition)) continue;
      } catch (e) {
        output(`Error in testing condition for catchpoint ${bp.id}: ${(e as Error).message}\n`);
      }
    }
    bp.hitCount++;
    if (bp.ignoreCount > 0) { bp.ignoreCount--; continue; }
    hits.push(bp.id);
  }
  return hits;
}
