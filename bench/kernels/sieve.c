/* sieve.c: sieve of Eratosthenes up to n (capped at 16M), byte per number;
 * the checksum mixes the prime count with a hash of the primes found. */
#include "common.h"

#define MAX (16 * 1024 * 1024)
static u8 composite[MAX + 1];

EXPORT("run") i32 run(i32 n) {
  if (n > MAX) n = MAX;
  if (n < 2) return 0;
  for (i32 i = 0; i <= n; i++) composite[i] = 0;
  for (i32 i = 2; (i64)i * i <= n; i++)
    if (!composite[i])
      for (i32 j = i * i; j <= n; j += i) composite[j] = 1;
  u32 count = 0, h = 0x811c9dc5u;
  for (i32 i = 2; i <= n; i++)
    if (!composite[i]) {
      count++;
      h = (h ^ (u32)i) * 0x01000193u;
    }
  return (i32)(h ^ (count * 0x9e3779b9u));
}
