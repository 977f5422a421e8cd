/**
 * The carry and borrow between an i64's halves, for the inline add and
 * subtract (i64.ts) and the remainder by product (i64-remainder.ts).
 *
 * The carry out of the low halves' sum t = a + b, and the borrow out of
 * t = a - b, as bit arithmetic (Hacker's Delight 2-13) rather than
 * `(t >>> 0) < (a >>> 0) ? 1 : 0`: V8 compiles that to a branch, which
 * random data mispredicts half the time (11% of bench/kernels/i64arith).
 * Each operand is named more than once, so it must be a simple expression.
 */
export const carry = (a: string, b: string, t: string): string => `(((${a} & ${b}) | ((${a} | ${b}) & ~${t})) >>> 31)`;
export const borrow = (a: string, b: string, t: string): string => `(((~${a} & ${b}) | (~(${a} ^ ${b}) & ${t})) >>> 31)`;
