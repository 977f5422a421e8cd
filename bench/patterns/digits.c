/* digits.c: 64-bit decimal formatting, the digit loop of printf's %llu
 * (x % 10 and x /= 10 on a u64: clang's `x - (x / 10) * 10`). */
#include "../kernels/common.h"

static NOINLINE i32 format(u64 x, u8 *s) {
  i32 n = 0;
  while (x > 9) {
    s[n++] = (u8)('0' + x % 10);
    x /= 10;
  }
  s[n++] = (u8)('0' + x);
  return n;
}

EXPORT("run") i32 run(i32 n) {
  static u8 buf[32];
  u32 h = 0x811c9dc5u;
  for (i32 i = 0; i < n; i++) {
    i32 len = format((u64)(u32)i * 0x9e3779b97f4a7c15ull, buf);
    h = (h ^ (u32)len ^ buf[len - 1]) * 0x01000193u;
  }
  return (i32)h;
}
