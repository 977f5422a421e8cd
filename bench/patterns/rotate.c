/* rotate.c: 64-bit rotations by a data-dependent count (as in RC5-style
 * mixing): i64.rotl by a variable count. */
#include "../kernels/common.h"

EXPORT("run") i64 run(i32 n) {
  u64 s = 0x9e3779b97f4a7c15ull, x = 1;
  u32 r = 7;
  for (i32 i = 0; i < n; i++) {
    u32 k = xorshift32(&r) >> 26;
    x = ((x << k) | (x >> ((64 - k) & 63))) ^ s;
    s += x;
  }
  return (i64)s;
}
