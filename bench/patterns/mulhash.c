/* mulhash.c: a multiply-heavy 64-bit hash (splitmix64's finalizer, as in
 * Rust's and C++'s hash maps and PRNGs): two constant and one variable
 * 64-bit multiply per step. */
#include "../kernels/common.h"

static u64 mix(u64 z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

EXPORT("run") i64 run(i32 n) {
  u64 s = 0, x = 1;
  for (i32 i = 0; i < n; i++) {
    x += 0x9e3779b97f4a7c15ull;
    s ^= mix(x) * (s | 1);
  }
  return (i64)s;
}
