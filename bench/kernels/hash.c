/* hash.c: integer hashing (FNV-1a and a murmur3-style block hash) over a
 * 64 KB buffer, n passes; each pass perturbs the buffer so passes differ. */
#include "common.h"

#define BUF_SIZE 65536
static u8 buf[BUF_SIZE];

static u32 fnv1a(const u8 *p, u32 len, u32 seed) {
  u32 h = 0x811c9dc5u ^ seed;
  for (u32 i = 0; i < len; i++) {
    h ^= p[i];
    h *= 0x01000193u;
  }
  return h;
}

static inline u32 rotl32(u32 x, int r) { return (x << r) | (x >> (32 - r)); }

static u32 murmur3(const u32 *words, u32 count, u32 seed) {
  u32 h = seed;
  for (u32 i = 0; i < count; i++) {
    u32 k = words[i] * 0xcc9e2d51u;
    k = rotl32(k, 15) * 0x1b873593u;
    h ^= k;
    h = rotl32(h, 13) * 5 + 0xe6546b64u;
  }
  h ^= count * 4;
  h ^= h >> 16;
  h *= 0x85ebca6bu;
  h ^= h >> 13;
  h *= 0xc2b2ae35u;
  h ^= h >> 16;
  return h;
}

EXPORT("run") i32 run(i32 n) {
  u32 state = 0x12345678u;
  for (u32 i = 0; i < BUF_SIZE; i++) buf[i] = (u8)xorshift32(&state);
  u32 acc = 0;
  for (i32 pass = 0; pass < n; pass++) {
    u32 a = fnv1a(buf, BUF_SIZE, (u32)pass);
    u32 b = murmur3((const u32 *)buf, BUF_SIZE / 4, a);
    acc = (acc ^ a) * 31u + b;
    buf[(u32)pass % BUF_SIZE] ^= (u8)acc;
  }
  return (i32)acc;
}
