/* recursion.c: call-heavy recursion: fib(n), Takeuchi's tak and a bounded
 * Ackermann(2, m); NOINLINE keeps every call a real Wasm call. */
#include "common.h"

static NOINLINE i32 fib(i32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static NOINLINE i32 tak(i32 x, i32 y, i32 z) {
  return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z;
}

static NOINLINE u32 ack(u32 m, u32 n) {
  if (m == 0) return n + 1;
  if (n == 0) return ack(m - 1, 1);
  return ack(m - 1, ack(m, n - 1));
}

EXPORT("run") i32 run(i32 n) {
  i32 f = fib(n);
  i32 t = tak(n / 2, n / 3, n / 6);
  u32 a = ack(2, (u32)n * 8);
  return (i32)(((u32)f * 31u + (u32)t) * 31u + a);
}
