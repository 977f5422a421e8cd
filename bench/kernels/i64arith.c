/* i64arith.c: 64-bit integer arithmetic, heavy on division and remainder
 * (signed and unsigned), multiplication, shifts and a 64-bit gcd. */
#include "common.h"

static NOINLINE u64 gcd64(u64 a, u64 b) {
  while (b != 0) {
    u64 t = a % b;
    a = b;
    b = t;
  }
  return a;
}

EXPORT("run") i64 run(i32 n) {
  u64 x = 0x9e3779b97f4a7c15ull;
  i64 acc = 0;
  for (i32 i = 0; i < n; i++) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    u64 d = (x >> 40) | 1;               /* 24-bit odd divisor */
    i64 s = (i64)(x ^ (x >> 17));        /* signed, either sign */
    i64 sd = (i64)((x >> 33) | 3) * ((i & 1) ? -1 : 1);
    acc += (i64)(x / d);
    acc ^= (i64)(x % d);
    acc += s / sd;
    acc -= (s ^ acc) % sd;
    acc = (acc << 3) ^ (i64)((u64)acc >> 61);
    if ((i & 15) == 0) acc += (i64)gcd64(x | 1, (u64)(acc | 1));
  }
  return acc;
}
