/* matmul.c: f64 matrix multiply C = A * B of n x n matrices (n <= 512),
 * i-k-j loop order; the checksum folds the bit patterns of C. */
#include "common.h"

#define MAX 512
static double A[MAX * MAX], B[MAX * MAX], C[MAX * MAX];

EXPORT("run") i32 run(i32 n) {
  if (n > MAX) n = MAX;
  if (n < 1) n = 1;
  for (i32 i = 0; i < n * n; i++) {
    A[i] = (double)(i % 17) * 0.25 - 1.5;
    B[i] = (double)(i % 23) * 0.125 + 0.5;
    C[i] = 0.0;
  }
  for (i32 i = 0; i < n; i++)
    for (i32 k = 0; k < n; k++) {
      double a = A[i * n + k];
      for (i32 j = 0; j < n; j++) C[i * n + j] += a * B[k * n + j];
    }
  u32 h = 0x811c9dc5u;
  for (i32 i = 0; i < n * n; i++) {
    union { double d; u64 u; } v = { C[i] };
    h = mix64(h, v.u);
  }
  return (i32)h;
}
