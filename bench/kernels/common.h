/* common.h: shared helpers for the benchmark kernels.
 * Kernels are freestanding wasm32 (no libc, no imports): every kernel includes
 * this header, exports `run(n)` and returns a checksum that depends on all the
 * work it did, so no engine can skip work and every engine must agree.
 * Built with -fno-builtin so clang never turns our loops into libc calls. */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef int i32;
typedef unsigned long long u64;
typedef long long i64;
typedef unsigned long usize;

#define EXPORT(name) __attribute__((export_name(name)))
#define NOINLINE __attribute__((noinline))

/* xorshift32: a cheap deterministic generator for input data. */
static inline u32 xorshift32(u32 *state) {
  u32 x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return *state = x;
}

/* Fold a 64-bit value into a running 32-bit checksum. */
static inline u32 mix64(u32 h, u64 v) {
  h ^= (u32)v;
  h *= 0x01000193u;
  h ^= (u32)(v >> 32);
  h *= 0x01000193u;
  return h;
}

#endif
