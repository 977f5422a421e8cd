/**
 * A small WASI preview1 host (`wasi_snapshot_preview1`) over the module's
 * exported `memory`, enough for C programs built with wasi-libc: argv,
 * environment, stdout/stderr/stdin, clocks, random bytes and proc_exit.
 * node:wasi cannot be used: it needs a real WebAssembly.Instance and memory.
 *
 * Invariants: memory is re-read through the MemoryInstance on every call
 * (growth replaces its views); every function returns an errno and never
 * throws into the program (a pointer outside memory is EFAULT), except
 * proc_exit, which throws WasiExit to unwind the whole call, and a call from
 * a module that exports no memory, which throws WasiError; a function we do
 * not provide answers ENOSYS. Standard input, output and error are
 * terminals: character devices without seek or tell rights, which is what
 * wasi-libc's isatty checks, so a C program's stdout is line-buffered and a
 * trap loses no finished line.
 */
import { randomFillSync } from 'node:crypto';
import { readSync } from 'node:fs';

/** proc_exit unwinds the program with this; the CLI turns it into the exit code. */
export class WasiExit extends Error {
  override readonly name = 'WasiExit';
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** The program cannot go on with this WASI call (no memory to work on); the CLI reports it in one line. */
export class WasiError extends Error {
  override readonly name = 'WasiError';
}

const ESUCCESS = 0, EBADF = 8, EFAULT = 21, EINVAL = 28, ENOSYS = 52, ESPIPE = 70;

/** Every right of fd_fdstat_get's `fs_rights_base` (preview1 defines 29 bits)... */
const ALL_RIGHTS = (1n << 29n) - 1n;
/** ...but a terminal cannot seek or tell: wasi-libc's isatty requires both rights absent. */
const RIGHT_FD_SEEK = 1n << 2n, RIGHT_FD_TELL = 1n << 5n;
const STDIO_RIGHTS = ALL_RIGHTS & ~(RIGHT_FD_SEEK | RIGHT_FD_TELL);

/** Thrown inside a call when there is no memory to work on; `guard` names the call. */
const NO_MEMORY = Symbol('no memory');

/** What the host needs from the memory export: the MemoryInstance's current views. */
export interface WasiMemory {
  readonly u8: Uint8Array;
  readonly dv: DataView;
}

export interface WasiOptions {
  readonly args: readonly string[];
  /** Environment strings `NAME=value` the program sees (none unless given). */
  readonly env?: readonly string[];
  readonly stdout: (bytes: Uint8Array) => void;
  readonly stderr: (bytes: Uint8Array) => void;
  /** Reads up to `max` bytes of standard input; an empty array is end of file. */
  readonly stdin?: (max: number) => Uint8Array;
}

type Fn = (...a: (number | bigint)[]) => number;

/** The WASI functions, bound to a memory once the instance exists. */
export class WasiPreview1 {
  private memory: (() => WasiMemory) | undefined;
  private readonly enc = new TextEncoder();
  readonly functions: Readonly<Record<string, Fn>>;

  constructor(private readonly opts: WasiOptions) {
    this.functions = this.build();
  }

  /** Gives the host the program's memory (its exported `memory`). */
  bindMemory(memory: () => WasiMemory): void {
    this.memory = memory;
  }

  /** The function for an import name; unknown names answer ENOSYS. */
  lookup(name: string): Fn {
    return this.functions[name] ?? (() => ENOSYS);
  }

  private mem(): WasiMemory {
    if (this.memory === undefined) throw NO_MEMORY;
    return this.memory();
  }

  /** `f` as the program sees it: an address outside memory answers EFAULT rather than throwing into it. */
  private guard(name: string, f: Fn): Fn {
    return (...a) => {
      try {
        return f(...a);
      } catch (e) {
        if (e instanceof RangeError) return EFAULT;
        if (e === NO_MEMORY) throw new WasiError(`the program calls WASI ${name}, but its module exports no memory named "memory"`);
        throw e;
      }
    };
  }

  private strings(list: readonly string[]): Uint8Array[] {
    return list.map((s) => this.enc.encode(s + '\0'));
  }

  private sizes(list: readonly string[], countPtr: number, sizePtr: number): number {
    const enc = this.strings(list);
    const { dv } = this.mem();
    dv.setUint32(countPtr, enc.length, true);
    dv.setUint32(sizePtr, enc.reduce((n, b) => n + b.length, 0), true);
    return ESUCCESS;
  }

  private copyOut(list: readonly string[], ptrs: number, buf: number): number {
    const { u8, dv } = this.mem();
    let at = buf;
    this.strings(list).forEach((b, i) => {
      dv.setUint32(ptrs + 4 * i, at, true);
      u8.set(b, at);
      at += b.length;
    });
    return ESUCCESS;
  }

  private build(): Record<string, Fn> {
    const env = this.opts.env ?? [];
    const n = (x: number | bigint): number => Number(x);
    const fns: Record<string, Fn> = {
      args_sizes_get: (c, s) => this.sizes(this.opts.args, n(c), n(s)),
      args_get: (p, b) => this.copyOut(this.opts.args, n(p), n(b)),
      environ_sizes_get: (c, s) => this.sizes(env, n(c), n(s)),
      environ_get: (p, b) => this.copyOut(env, n(p), n(b)),
      fd_write: (fd, iovs, count, nwritten) => this.write(n(fd), n(iovs), n(count), n(nwritten)),
      fd_read: (fd, iovs, count, nread) => this.read(n(fd), n(iovs), n(count), n(nread)),
      fd_close: (fd) => (n(fd) <= 2 ? ESUCCESS : EBADF),
      fd_seek: (fd) => (n(fd) <= 2 ? ESPIPE : EBADF),
      fd_fdstat_get: (fd, out) => this.fdstat(n(fd), n(out)),
      fd_prestat_get: () => EBADF, // no preopened directories: libc stops looking
      fd_prestat_dir_name: () => EBADF,
      proc_exit: (code) => { throw new WasiExit(n(code)); },
      clock_time_get: (id, _precision, out) => this.clock(n(id), n(out)),
      clock_res_get: (_id, out) => { this.mem().dv.setBigUint64(n(out), 1000n, true); return ESUCCESS; },
      random_get: (buf, len) => { randomFillSync(this.mem().u8, n(buf), n(len)); return ESUCCESS; },
      sched_yield: () => ESUCCESS,
    };
    for (const name of Object.keys(fns)) fns[name] = this.guard(name, fns[name]!);
    return fns;
  }

  /** The (pointer, length) pairs of an iovec array; one reaching past memory is a RangeError (EFAULT). */
  private iovecs(iovs: number, count: number): [number, number][] {
    const { dv } = this.mem();
    return Array.from({ length: count }, (_, i): [number, number] => {
      const ptr = dv.getUint32(iovs + 8 * i, true), len = dv.getUint32(iovs + 8 * i + 4, true);
      if (ptr + len > dv.byteLength) throw new RangeError('iovec outside memory');
      return [ptr, len];
    });
  }

  private write(fd: number, iovs: number, count: number, nwritten: number): number {
    const sink = fd === 1 ? this.opts.stdout : fd === 2 ? this.opts.stderr : undefined;
    if (sink === undefined) return EBADF;
    let total = 0;
    for (const [ptr, len] of this.iovecs(iovs, count)) {
      sink(this.mem().u8.slice(ptr, ptr + len));
      total += len;
    }
    this.mem().dv.setUint32(nwritten, total, true);
    return ESUCCESS;
  }

  private read(fd: number, iovs: number, count: number, nread: number): number {
    if (fd !== 0) return EBADF;
    let total = 0;
    for (const [ptr, len] of this.iovecs(iovs, count)) {
      const got = (this.opts.stdin ?? readStdin)(len);
      this.mem().u8.set(got, ptr);
      total += got.length;
      if (got.length < len) break;
    }
    this.mem().dv.setUint32(nread, total, true);
    return ESUCCESS;
  }

  private fdstat(fd: number, out: number): number {
    if (fd > 2) return EBADF;
    const { dv, u8 } = this.mem();
    if (out + 24 > u8.length) throw new RangeError('fdstat outside memory');
    u8.fill(0, out, out + 24);
    dv.setUint8(out, 2); // filetype: character device
    dv.setBigUint64(out + 8, STDIO_RIGHTS, true); // rights_base
    return ESUCCESS;
  }

  private clock(id: number, out: number): number {
    let ns: bigint;
    if (id === 0) ns = BigInt(Date.now()) * 1_000_000n;
    else if (id === 1 || id === 2 || id === 3) ns = process.hrtime.bigint();
    else return EINVAL;
    this.mem().dv.setBigUint64(out, ns, true);
    return ESUCCESS;
  }
}

/** Synchronous read of the process's standard input (0 bytes at end of file). */
function readStdin(max: number): Uint8Array {
  const buf = new Uint8Array(max);
  try {
    return buf.subarray(0, readSync(0, buf, 0, max, null));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return new Uint8Array(0);
    if ((e as NodeJS.ErrnoException).code === 'EOF') return new Uint8Array(0);
    throw e;
  }
}
