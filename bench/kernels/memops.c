/* memops.c: our own memcpy and memset (byte loops with a word-at-a-time fast
 * path), driven over varying sizes and misalignments. Built with -fno-builtin
 * so clang keeps these loops instead of calling (absent) libc routines. */
#include "common.h"

#define BUF_SIZE 65536
static u8 src[BUF_SIZE + 64], dst[BUF_SIZE + 64];

NOINLINE void *memcpy(void *restrict d, const void *restrict s, usize n) {
  u8 *dp = d;
  const u8 *sp = s;
  if ((((usize)dp | (usize)sp) & 3) == 0) {
    for (; n >= 16; n -= 16, dp += 16, sp += 16) {
      ((u32 *)dp)[0] = ((const u32 *)sp)[0];
      ((u32 *)dp)[1] = ((const u32 *)sp)[1];
      ((u32 *)dp)[2] = ((const u32 *)sp)[2];
      ((u32 *)dp)[3] = ((const u32 *)sp)[3];
    }
    for (; n >= 4; n -= 4, dp += 4, sp += 4) *(u32 *)dp = *(const u32 *)sp;
  }
  while (n--) *dp++ = *sp++;
  return d;
}

NOINLINE void *memset(void *d, int c, usize n) {
  u8 *dp = d;
  u32 word = (u8)c * 0x01010101u;
  while (n && ((usize)dp & 3)) { *dp++ = (u8)c; n--; }
  for (; n >= 16; n -= 16, dp += 16) {
    ((u32 *)dp)[0] = word;
    ((u32 *)dp)[1] = word;
    ((u32 *)dp)[2] = word;
    ((u32 *)dp)[3] = word;
  }
  while (n--) *dp++ = (u8)c;
  return d;
}

EXPORT("run") i32 run(i32 n) {
  u32 state = 0x9e3779b9u;
  for (u32 i = 0; i < BUF_SIZE + 64; i++) src[i] = (u8)xorshift32(&state);
  u32 h = 0x811c9dc5u;
  for (i32 iter = 0; iter < n; iter++) {
    u32 r = xorshift32(&state);
    u32 so = r & 7, doff = (r >> 3) & 7;           /* aligned and unaligned */
    u32 len = BUF_SIZE - 64 + ((r >> 6) & 63) - (iter & 1) * (BUF_SIZE / 2);
    memset(dst + doff, (int)(r >> 12), len);
    memcpy(dst + doff + (r & 32), src + so, len - 32);
    h = (h ^ dst[(r >> 16) % len]) * 0x01000193u;
    h = (h ^ dst[doff + len - 1]) * 0x01000193u;
    src[iter & (BUF_SIZE - 1)] ^= (u8)h;
  }
  for (u32 i = 0; i < BUF_SIZE + 64; i += 4) h = (h ^ *(u32 *)(dst + i)) * 0x01000193u;
  return (i32)h;
}
