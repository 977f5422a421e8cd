// fib.c: the README's first example. Recursive Fibonacci, freestanding (no
// imports, no libc), so `wasmflip run examples/fib.wasm --invoke fib 30`
// needs nothing but the module. Also exports an iterative 64-bit version.

__attribute__((export_name("fib")))
int fib(int n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

__attribute__((export_name("fib64")))
long long fib64(int n) {
  long long a = 0, b = 1;
  for (int i = 0; i < n; i++) {
    long long t = a + b;
    a = b;
    b = t;
  }
  return a;
}
