/**
 * gdb's `x/NFU ADDR`: N units of size U (b, h, w, g) from linear memory,
 * printed in format F (x, d, u, o, t, c, s). Remembers nothing between
 * calls: a bare `x` is an error rather than a guess.
 */
import type { DebugSession } from '../session/session.js';
import { formatInt } from '../session/format.js';
import { scalarOf } from '../session/values.js';

export function examine(session: DebugSession, slash: string | undefined, arg: string): string {
  const m = /^\/(\d*)([xduotcs]?)([bhwg]?)$/.exec(slash ?? '/');
  if (!m) throw new Error(`Invalid format ${slash}: use x/NFU with F in xduotcs and U in bhwg.`);
  if (!arg) throw new Error('Argument required (starting display address).');
  const count = m[1] ? Number(m[1]) : 1;
  const fmt = m[2] || 'x';
  const unit = { b: 1, h: 2, w: 4, g: 8, '': fmt === 'c' || fmt === 's' ? 1 : 4 }[m[3] as 'b' | 'h' | 'w' | 'g' | '']!;
  const v = session.evaluate(arg);
  const base = Number(scalarOf(v.type.kind === 'array' && v.lvalue?.kind === 'memory' ? { ...v, type: { kind: 'base', name: 'unsigned', encoding: 'unsigned', byteSize: 4 }, bytes: new Uint8Array(new Uint32Array([v.lvalue.address]).buffer) } : v));
  if (fmt === 's') {
    let out = '';
    let a = base;
    for (let k = 0; k < count; k++) {
      let str = '';
      for (let i = 0; i < 200; i++) { const b = session.readMemory(a + i, 1)[0]!; if (b === 0) { a += i + 1; break; } str += String.fromCharCode(b); }
      out += `0x${(a - str.length - 1).toString(16)}:\t${JSON.stringify(str)}\n`;
    }
    return out;
  }
  const perLine = unit === 8 ? 2 : unit === 4 ? 4 : 8;
  const bytes = session.readMemory(base, count * unit);
  let out = '';
  for (let k = 0; k < count; k++) {
    if (k % perLine === 0) out += `${k ? '\n' : ''}0x${(base + k * unit).toString(16)}:`;
    let x = 0n;
    for (let i = unit - 1; i >= 0; i--) x = (x << 8n) | BigInt(bytes[k * unit + i]!);
    const f = fmt as 'x' | 'd' | 'u' | 'o' | 't' | 'c';
    const text = f === 'x' ? `0x${x.toString(16).padStart(unit * 2, '0')}` : formatInt(x, unit, true, f);
    out += `\t${text}`;
  }
  return out + '\n';
}
