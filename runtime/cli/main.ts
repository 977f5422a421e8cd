/**
 * The `wasmflip` command line: dispatches the first argument to the command
 * of that name (commands/), with real process IO.
 *
 * Invariant: no JavaScript stack trace ever reaches the user. A UsageError
 * prints its message and the command's usage (exit 2); a CommandFailure
 * (report.ts) prints its one line with its exit code; anything a command
 * lets escape is a bug in wasmflip and prints one line
 * `wasmflip: internal error: ...` (exit 70, EX_SOFTWARE).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../spectest/index.js';
import { UsageError, type CliCommand, type CliIO } from './command.js';
import { CommandFailure, oneLine } from './report.js';
import { command as run } from './commands/run.js';
import { command as spectest } from './commands/spectest.js';
import { command as addr2line } from './commands/addr2line.js';
import { command as dwarf } from './commands/dwarf.js';
import { command as debug } from './commands/debug.js';
import { command as compile } from './commands/compile.js';

/** Every command, in the order `--help` lists them. */
export const commands: readonly CliCommand[] = [run, compile, debug, spectest, dwarf, addr2line];

export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

/** The process's IO: stdout, stderr, the file system and the environment. */
export function processIO(): CliIO {
  return {
    out: (t) => void process.stdout.write(t),
    err: (t) => void process.stderr.write(t),
    readFile: (p) => new Uint8Array(readFileSync(p)),
    env: process.env,
  };
}

/** Runs `wasmflip ARGV...` with the process's IO; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  // A closed pipe (`wasmflip ... | head`) is not an error worth a stack trace.
  for (const s of [process.stdout, process.stderr]) s.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') throw e; });
  return runCli(argv, processIO());
}

/** Runs `wasmflip ARGV...` against any IO (tests capture it); returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIO): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    io.err(`wasmflip: internal error: ${oneLine(msg.split('\n')[0]!)}\n`);
    return EXIT_INTERNAL;
  }
}

async function dispatch(argv: readonly string[], io: CliIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined) {
    io.err(help());
    return EXIT_USAGE;
  }
  if (name === '--help' || name === '-h') {
    io.out(help());
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.out(`wasmflip ${version()}\n`);
    return 0;
  }
  if (name === 'help') return helpCommand(args[0], io);
  const cmd = commands.find((c) => c.name === name);
  if (cmd === undefined) {
    io.err(`wasmflip: unknown command ${JSON.stringify(name)} (commands: ${commands.map((c) => c.name).join(', ')}; see wasmflip --help)\n`);
    return EXIT_USAGE;
  }
  const beforeDashes = args.indexOf('--') < 0 ? args : args.slice(0, args.indexOf('--'));
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
    io.out(cmd.usage + '\n');
    return 0;
  }
  try {
    return await cmd.run(args, io);
  } catch (e) {
    if (e instanceof CommandFailure) {
      io.err(`wasmflip ${cmd.name}: ${oneLine(e.message)}\n`);
      return e.exitCode;
    }
    if (!(e instanceof UsageError)) throw e;
    io.err(`wasmflip ${cmd.name}: ${e.message}\n${cmd.usage}\n`);
    return EXIT_USAGE;
  }
}

function helpCommand(name: string | undefined, io: CliIO): number {
  if (name === undefined) {
    io.out(help());
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (cmd === undefined) {
    io.err(`wasmflip: unknown command ${JSON.stringify(name)}\n`);
    return EXIT_USAGE;
  }
  io.out(cmd.usage + '\n');
  return 0;
}

function help(): string {
  const w = Math.max(...commands.map((c) => c.name.length));
  return [
    'wasmflip: run WebAssembly in JavaScript, with a reference interpreter for debugging',
    '',
    'usage: wasmflip COMMAND [ARGS...]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(w)}  ${c.summary}`),
    '',
    'wasmflip help COMMAND (or COMMAND --help) shows a command\'s usage.',
    '',
  ].join('\n');
}

function version(): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
