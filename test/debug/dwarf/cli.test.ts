/**
 * `wasmflip dwarf …` and `wasmflip addr2line …` through a captured CliIO:
 * exact output shape, --json, --file-offsets, a separate debug file, and one
 * clear error line with a non-zero exit on bad input.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CliCommand, CliIO } from '../../../runtime/cli/command.js';
import { command as addr2line } from '../../../runtime/cli/commands/addr2line.js';
import { command as dwarfCommand } from '../../../runtime/cli/commands/dwarf.js';
import { FIXTURES, FIXTURE_NAMES, expectedDump, loadFixture } from './normalize.js';
import { customSection, rewriteCustoms } from './wasm-sections.js';

function runCli(cmd: CliCommand, args: string[], files: Record<string, Uint8Array> = {}) {
  let out = '', err = '';
  const io: CliIO = {
    out: (t) => { out += t; },
    err: (t) => { err += t; },
    readFile: (p) => files[p] ?? new Uint8Array(readFileSync(p.startsWith('/') ? p : FIXTURES + p)),
    env: {},
  };
  return Promise.resolve(cmd.run(args, io)).then((code) => ({ code, out, err }));
}

describe('wasmflip addr2line', () => {
  it('prints the inlined chain innermost first for a code offset', async () => {
    const { dwarf } = loadFixture('shapes-O2-dwarf4');
    const sq = dwarf.allFunctions().find((f) => f.name === 'sq' && f.ranges.length > 0)!;
    const pc = sq.ranges[0]!.begin;
    const r = await runCli(addr2line, ['shapes-O2-dwarf4.wasm', `0x${pc.toString(16)}`]);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^0x${pc.toString(16)}: sq at \\./shapes\\.c:\\d+:\\d+$`));
    expect(lines.slice(1).map((l) => l.trim().split(' ')[2])).toEqual(['dist2', 'perimeter2', 'run']);
  });

  it('converts module-file offsets with --file-offsets', async () => {
    const { dwarf, codeStart } = loadFixture('shapes-O0-dwarf5');
    const fact = dwarf.allFunctions().find((f) => f.name === 'fact')!;
    const pc = fact.ranges[0]!.begin;
    const a = await runCli(addr2line, ['shapes-O0-dwarf5.wasm', String(pc), '--json']);
    const b = await runCli(addr2line, ['shapes-O0-dwarf5.wasm', String(pc + codeStart), '--file-offsets', '--json']);
    expect(JSON.parse(b.out)[0].frames).toEqual(JSON.parse(a.out)[0].frames);
    expect(JSON.parse(a.out)[0].frames[0].function).toBe('fact');
  });

  it('follows external_debug_info to a separate debug file', async () => {
    const full = loadFixture('shapes-O0-dwarf4').bytes;
    const stripped = rewriteCustoms(full, (n) => n.startsWith('.debug_'), [customSection('external_debug_info', new TextEncoder().encode('shapes.debug.wasm'))]);
    const files = { '/tmp/x/shapes.wasm': stripped, '/tmp/x/shapes.debug.wasm': full };
    const viaFile = await runCli(addr2line, ['/tmp/x/shapes.wasm', '0x30'], files);
    const direct = await runCli(addr2line, ['shapes-O0-dwarf4.wasm', '0x30']);
    expect(viaFile).toEqual(direct);
  });

  it('fails with one line for a module without DWARF', async () => {
    const bare = rewriteCustoms(loadFixture('shapes-O0-dwarf4').bytes, (n) => n.startsWith('.debug_'));
    const r = await runCli(addr2line, ['/m.wasm', '0x10'], { '/m.wasm': bare });
    expect(r).toEqual({ code: 1, out: '', err: 'wasmflip addr2line: /m.wasm has no DWARF debug information\n' });
  });
});

describe('wasmflip dwarf', () => {
  it.each(FIXTURE_NAMES)('prints line tables exactly as llvm-dwarfdump --debug-line does (%s)', async (name) => {
    const lines = await runCli(dwarfCommand, ['lines', `${name}.wasm`]);
    expect(lines).toMatchObject({ code: 0, err: '' });
    const dump = expectedDump(name, 'line');
    expect(lines.out).toBe(dump.slice(dump.indexOf('.debug_line contents:')));
  });

  it('lists line rows as JSON records with --json', async () => {
    const rows = JSON.parse((await runCli(dwarfCommand, ['lines', 'shapes-O2-dwarf5.wasm', '--json'])).out);
    expect(rows[0]).toEqual({ address: 2, file: '././shapes.c', line: expect.any(Number), column: 0, isStmt: true, prologueEnd: false, endSequence: false });
    expect(rows.filter((r: { endSequence: boolean }) => r.endSequence).length).toBeGreaterThan(1);
  });

  it('lists functions and variables', async () => {
    const fns = await runCli(dwarfCommand, ['functions', 'shapes-O2-dwarf5.wasm', '--json']);
    expect(JSON.parse(fns.out).some((f: { tag: string; name: string }) => f.tag === 'inlined_subroutine' && f.name === 'dist2')).toBe(true);
    const { dwarf } = loadFixture('shapes-O0-dwarf4');
    const pc = dwarf.allFunctions().find((f) => f.name === 'fact')!.ranges[0]!.begin + 4;
    const vars = await runCli(dwarfCommand, ['variables', 'shapes-O0-dwarf4.wasm', String(pc)]);
    expect(vars.out).toContain('param n: int = DW_OP_fbreg +');
    expect(vars.code).toBe(0);
  });

  it('reports a file that is not a module in one line', async () => {
    const r = await runCli(dwarfCommand, ['lines', '/bad.wasm'], { '/bad.wasm': Uint8Array.of(1, 2, 3) });
    expect(r.code).toBe(1);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^wasmflip dwarf: /);
  });
});
