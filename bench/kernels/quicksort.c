/* quicksort.c: recursive quicksort (median of three, insertion sort for small
 * ranges) of n pseudo-random i32 (n capped at 4M); the checksum hashes the
 * sorted array by position and is poisoned if the result is not sorted. */
#include "common.h"

#define MAX (4 * 1024 * 1024)
static i32 data[MAX];

static void insertion(i32 *a, i32 lo, i32 hi) {
  for (i32 i = lo + 1; i <= hi; i++) {
    i32 v = a[i], j = i - 1;
    while (j >= lo && a[j] > v) {
      a[j + 1] = a[j];
      j--;
    }
    a[j + 1] = v;
  }
}

static inline void swap(i32 *a, i32 i, i32 j) {
  i32 t = a[i];
  a[i] = a[j];
  a[j] = t;
}

static NOINLINE void qsort_range(i32 *a, i32 lo, i32 hi) {
  while (hi - lo > 16) {
    i32 mid = lo + (hi - lo) / 2;
    if (a[mid] < a[lo]) swap(a, mid, lo);
    if (a[hi] < a[lo]) swap(a, hi, lo);
    if (a[hi] < a[mid]) swap(a, hi, mid);
    i32 pivot = a[mid], i = lo, j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    /* Recurse into the smaller half so depth stays logarithmic. */
    if (j - lo < hi - i) {
      qsort_range(a, lo, j);
      lo = i;
    } else {
      qsort_range(a, i, hi);
      hi = j;
    }
  }
  insertion(a, lo, hi);
}

EXPORT("run") i32 run(i32 n) {
  if (n > MAX) n = MAX;
  if (n < 1) return 0;
  u32 state = 0xdeadbeefu;
  for (i32 i = 0; i < n; i++) data[i] = (i32)xorshift32(&state) % 1000003;
  qsort_range(data, 0, n - 1);
  u32 h = 0x811c9dc5u;
  for (i32 i = 0; i < n; i++) {
    if (i > 0 && data[i - 1] > data[i]) return -1;
    h = (h ^ (u32)data[i]) * 0x01000193u + (u32)i;
  }
  return (i32)h;
}
