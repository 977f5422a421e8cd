// checksum.c: checksums over linear memory, freestanding (no imports).
// `fill(n, seed)` writes n pseudo-random bytes into a static buffer;
// `adler32(n)` and `crc32(n)` checksum its first n bytes; `mean(n)` returns
// their average as a double. The host only passes numbers.

#define CAP 65536
static unsigned char buf[CAP];

__attribute__((export_name("fill")))
int fill(int n, unsigned seed) {
  if (n < 0 || n > CAP) return -1;
  for (int i = 0; i < n; i++) {
    seed = seed * 1103515245u + 12345u;
    buf[i] = (unsigned char)(seed >> 16);
  }
  return n;
}

__attribute__((export_name("adler32")))
unsigned adler32(int n) {
  unsigned a = 1, b = 0;
  for (int i = 0; i < n && i < CAP; i++) {
    a = (a + buf[i]) % 65521u;
    b = (b + a) % 65521u;
  }
  return (b << 16) | a;
}

__attribute__((export_name("crc32")))
unsigned crc32(int n) {
  unsigned crc = 0xffffffffu;
  for (int i = 0; i < n && i < CAP; i++) {
    crc ^= buf[i];
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1u));
  }
  return ~crc;
}

__attribute__((export_name("mean")))
double mean(int n) {
  if (n <= 0 || n > CAP) return 0.0 / 0.0;
  double sum = 0;
  for (int i = 0; i < n; i++) sum += buf[i];
  return sum / n;
}
