/* bitset.c: a 64-bit-word bitset, toggled at random positions and read back
 * shifted: 64-bit shifts by a variable count (1 << (j & 63), w >> (i & 63)). */
#include "../kernels/common.h"

static u64 bits[1024];

EXPORT("run") i64 run(i32 n) {
  u64 s = 0;
  u32 x = 12345;
  for (i32 i = 0; i < 1024; i++) bits[i] = 0;
  for (i32 r = 0; r < n; r++) {
    for (i32 i = 0; i < 4096; i++) {
      u32 j = xorshift32(&x) & 65535;
      bits[j >> 6] ^= 1ull << (j & 63);
    }
    for (i32 i = 0; i < 1024; i++) s += bits[i] >> (i & 63);
  }
  return (i64)s;
}
