/* crc32.c: CRC-32 (IEEE, reflected) with slicing-by-4 over a 64 KB buffer,
 * reading 32-bit words at odd (unaligned) addresses; n passes, each at a
 * different misalignment. */
#include "common.h"

#define BUF_SIZE 65536
static u8 buf[BUF_SIZE + 8];
static u32 table[4][256];

typedef u32 u32_unaligned __attribute__((aligned(1)));

static void make_table(void) {
  for (u32 i = 0; i < 256; i++) {
    u32 c = i;
    for (int k = 0; k < 8; k++) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
    table[0][i] = c;
  }
  for (u32 i = 0; i < 256; i++)
    for (int t = 1; t < 4; t++)
      table[t][i] = (table[t - 1][i] >> 8) ^ table[0][table[t - 1][i] & 0xff];
}

static NOINLINE u32 crc32(const u8 *p, u32 len, u32 crc) {
  crc = ~crc;
  while (len >= 4) {
    crc ^= *(const u32_unaligned *)p;
    crc = table[3][crc & 0xff] ^ table[2][(crc >> 8) & 0xff] ^
          table[1][(crc >> 16) & 0xff] ^ table[0][crc >> 24];
    p += 4;
    len -= 4;
  }
  while (len--) crc = table[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return ~crc;
}

EXPORT("run") i32 run(i32 n) {
  make_table();
  u32 state = 0x2545f491u;
  for (u32 i = 0; i < BUF_SIZE + 8; i++) buf[i] = (u8)xorshift32(&state);
  u32 crc = 0;
  for (i32 pass = 0; pass < n; pass++) {
    u32 misalign = 1 + (u32)pass % 3;   /* 1, 2 or 3: never word-aligned */
    crc = crc32(buf + misalign, BUF_SIZE - 1, crc);
  }
  return (i32)crc;
}
