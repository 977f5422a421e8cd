/**
 * `wasmflip debug --batch` transcripts over the C fixtures in
 * test/fixtures/debugger (prog.c at -O0 and -O2): each `scripts/NAME.gdb`
 * runs and its whole output (program output interleaved) must equal
 * `scripts/NAME.out`. The first line of a script is `# args: WASM [ARGS...]`.
 * `UPDATE=1` rewrites the expectations; an expectation without a script
 * fails (no orphans).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../runtime/cli/main.js';
import type { CliIO } from '../../runtime/cli/command.js';

const dir = resolve(__dirname, '../fixtures/debugger');
const scripts = join(dir, 'scripts');
const update = process.env.UPDATE === '1';

/** Runs `wasmflip debug` with files resolved in the fixture folder; stdout and stderr in one transcript. */
async function transcript(args: string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const io: CliIO = {
    out: (t) => { text += t; },
    err: (t) => { text += `[stderr] ${t}`; },
    readFile: (p) => new Uint8Array(readFileSync(resolve(dir, p))),
    env: {},
  };
  const code = await runCli(['debug', ...args], io);
  return { code, text };
}

function argsOf(script: string, mode: string): string[] {
  const first = readFileSync(join(scripts, script), 'utf8').split('\n')[0]!;
  const m = /^# args: (.*)$/.exec(first);
  if (!m) throw new Error(`${script}: the first line must be "# args: WASM [ARGS...]"`);
  const words = m[1]!.trim().split(/\s+/);
  return [words[0]!, '--batch', `scripts/${script}`, '--mode', mode, ...words.slice(1)];
}

describe('wasmflip debug --batch transcripts', () => {
  const names = readdirSync(scripts).filter((f) => f.endsWith('.gdb')).sort();
  // The same transcript, byte for byte, whether the program runs interpreted or compiled with deopts.
  for (const script of names) for (const mode of ['debug', 'native-debug']) {
    it(`${script.replace(/\.gdb$/, '')} prints the checked-in transcript in ${mode} mode`, async () => {
      const { code, text } = await transcript(argsOf(script, mode));
      const expected = join(scripts, script.replace(/\.gdb$/, '.out'));
      if (update || !existsSync(expected)) writeFileSync(expected, text);
      expect(code).toBe(0);
      expect(text).toBe(readFileSync(expected, 'utf8'));
    }, 60_000);
  }

  it('has no expectation without its script', () => {
    const orphans = readdirSync(scripts).filter((f) => f.endsWith('.out') && !names.includes(f.replace(/\.out$/, '.gdb')));
    expect(orphans).toEqual([]);
  });
});

describe('wasmflip debug command line', () => {
  it('reports a missing module file with exit code 1', async () => {
    const { code, text } = await transcript(['missing.wasm', '--batch', 'scripts/o0-trap-off.gdb']);
    expect(code).toBe(1);
    expect(text).toMatch(/cannot read missing\.wasm: ENOENT/);
  });

  it('--level limits what the session may do, saying which level each refused command needs', async () => {
    const script = 'break main\nrun\nprint argc\nprint argc + 1\nset var argc = 5\nnext\nkill\n';
    const file = join(dir, 'scripts', '.level-check.gdb');
    writeFileSync(file, script);
    try {
      const at = async (level: string) => (await transcript(['prog-O0.wasm', '--batch', 'scripts/.level-check.gdb', '--level', level])).text;
      const inspection = await at('inspection');
      expect(inspection).toContain('breakpoints needs level control (this session runs at level inspection)');
      const control = await at('control');
      expect(control).toContain('$1 = 1\n');
      expect(control).toContain('expressions beyond a variable path needs level eval (this session runs at level control)');
      expect(control).toContain('writing variables and memory needs level modify (this session runs at level control)');
      expect(control).toMatch(/\(wasmflip\) next\n51\t/);
      const modify = await at('modify');
      expect(modify).toContain('$2 = 2\n');
      expect(modify).not.toContain('needs level');
      expect((await transcript(['prog-O0.wasm', '--level', 'static'])).text).toMatch(/--level static offers no debugging/);
    } finally {
      rmSync(file);
    }
  });

  it('rejects an unknown option with the usage', async () => {
    const { code, text } = await transcript(['prog-O0.wasm', '--frob']);
    expect(code).toBe(2);
    expect(text).toMatch(/unknown option --frob/);
  });
});
