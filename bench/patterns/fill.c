/* fill.c: memset in the shape of the libc most Wasm programs link (wasi-libc's,
 * from musl): bytes up to 8-byte alignment, then 8-byte stores of the byte
 * repeated, 32 bytes a round (i64.store of one value), then the tail; over
 * varying sizes and misalignments. -fno-builtin keeps the loop a loop. */
#include "../kernels/common.h"

#define BUF 65536
static u8 buf[BUF + 64];

static NOINLINE void fill(u8 *d, u8 c, usize n) {
  u32 c32 = 0x01010101u * c;
  u64 c64 = ((u64)c32 << 32) | c32;
  while (n && ((usize)d & 7)) { *d++ = c; n--; }
  for (; n >= 32; n -= 32, d += 32) {
    *(u64 *)(d + 0) = c64;
    *(u64 *)(d + 8) = c64;
    *(u64 *)(d + 16) = c64;
    *(u64 *)(d + 24) = c64;
  }
  for (; n >= 8; n -= 8, d += 8) *(u64 *)d = c64;
  while (n--) *d++ = c;
}

EXPORT("run") i32 run(i32 n) {
  u32 state = 0x2545f491u, h = 0x811c9dc5u;
  for (i32 i = 0; i < n; i++) {
    u32 r = xorshift32(&state);
    usize off = r & 31, len = BUF - 64 - ((r >> 5) & 1023) - (usize)(i & 1) * (BUF / 2);
    fill(buf + off, (u8)(r >> 16), len);
    h = (h ^ buf[off + (r >> 8) % len]) * 0x01000193u;
    h = (h ^ buf[off + len - 1]) * 0x01000193u;
  }
  return (i32)h;
}
