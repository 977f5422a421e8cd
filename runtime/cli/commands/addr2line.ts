/**
 * `wasmflip addr2line FILE.wasm OFFSET…`: source locations of code offsets,
 * with inlined calls expanded (innermost first, like `llvm-addr2line -i`).
 * Offsets are code-section offsets (DWARF's addresses) unless
 * `--file-offsets` says they are module-file offsets as LLDB, V8 and Chrome
 * print them; the conversion is `toCodeOffset`, the only one.
 */

import { fileOffset, hex, toCodeOffset } from '../../../interpreter/index.js';
import { symbolize } from '../../../debug/index.js';
import { UsageError, type CliCommand } from '../command.js';
import { failureLine, loadDebugInfo, parseOffset } from './dwarf.js';

export const command: CliCommand = {
  name: 'addr2line',
  summary: 'map code offsets to source file, line and function (inlined frames expanded)',
  usage: [
    'usage: wasmflip addr2line FILE.wasm OFFSET... [--file-offsets] [--json]',
    'OFFSET is a code-section offset (decimal or 0x-hex); with --file-offsets, a module-file offset.',
  ].join('\n'),
  run(args, io) {
    const fileOffsets = args.includes('--file-offsets');
    const asJson = args.includes('--json');
    const rest = args.filter((a) => a !== '--file-offsets' && a !== '--json');
    const unknown = rest.find((a) => a.startsWith('--'));
    if (unknown) throw new UsageError(`unknown option ${unknown}`);
    const [file, ...offsets] = rest;
    if (file === undefined || offsets.length === 0) throw new UsageError('need FILE.wasm and at least one OFFSET');
    const given = offsets.map(parseOffset);
    try {
      const { info } = loadDebugInfo(file, io);
      if (!info.dwarf.hasDebugInfo) { io.err(`wasmflip addr2line: ${file} has no DWARF debug information\n`); return 1; }
      const results = given.map((n) => {
        const pc = fileOffsets ? toCodeOffset(fileOffset(n), info.codeStart) : n;
        return { offset: n, codeOffset: pc, frames: pc < 0 ? [] : symbolize(info.dwarf, pc) };
      });
      if (asJson) io.out(JSON.stringify(results, null, 2) + '\n');
      else {
        for (const r of results) {
          if (r.frames.length === 0) { io.out(`${hex(r.offset)}: ?? (before the Code section)\n`); continue; }
          r.frames.forEach((f, i) => {
            const where = f.file !== undefined ? `${f.file}:${f.line ?? 0}:${f.column ?? 0}` : '??:0:0';
            io.out(`${i === 0 ? hex(r.offset) + ': ' : '  (inlined by) '}${f.function ?? '??'} at ${where}\n`);
          });
        }
      }
      for (const e of info.dwarf.errors) io.err(`wasmflip addr2line: warning: ${e.message}\n`);
      return 0;
    } catch (e) {
      io.err(failureLine('addr2line', e));
      return 1;
    }
  },
};
