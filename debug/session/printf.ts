/**
 * dprintf's formatting: C printf conversions over values of the program
 * (d i u x X c s p f, flags, width and precision; length modifiers are read
 * and ignored, the value's own type decides).
 *
 * Invariant: never throws; a missing argument or one that fails to evaluate
 * prints in place as `<missing argument>` / `<error: …>`.
 */
import type { Format } from './format.js';
import { scalarOf, type CValue } from './values.js';

export function cPrintf(format: string, args: readonly string[], value: (expr: string) => CValue, show: (v: CValue, fmt: Format) => string): string {
  let k = 0;
  return format.replace(/%([-+ 0#]*\d*(?:\.\d+)?)(hh|h|ll|l|z)?([diuxXcspf%])/g, (_m, flags: string, _len, conv: string) => {
    if (conv === '%') return '%';
    const src = args[k++];
    if (src === undefined) return '<missing argument>';
    let v: CValue;
    try { v = value(src); } catch (e) { return `<error: ${(e as Error).message}>`; }
    let text: string;
    if (conv === 's') text = show(v, 'natural').replace(/^0x[0-9a-f]+ "(.*)"$/s, '$1');
    else if (conv === 'c') text = String.fromCharCode(Number(scalarOf(v)) & 0xff);
    else if (conv === 'f') text = Number(scalarOf(v)).toFixed(/\.(\d+)/.exec(flags)?.[1] !== undefined ? Number(/\.(\d+)/.exec(flags)![1]) : 6);
    else if (conv === 'x' || conv === 'X' || conv === 'p') { text = show(v, 'x').replace(/^0x/, conv === 'p' ? '0x' : ''); if (conv === 'X') text = text.toUpperCase(); }
    else text = show(v, conv === 'u' ? 'u' : 'd');
    const width = /(\d+)$/.exec(flags.replace(/\.\d+$/, ''))?.[1];
    return width ? text.padStart(Number(width), flags.includes('0') && !flags.includes('-') ? '0' : ' ') : text;
  });
}
