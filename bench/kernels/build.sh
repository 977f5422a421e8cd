#!/bin/sh
# build.sh [DIR]: rebuilds every DIR/*.c (default: bench/kernels) into a freestanding .wasm next to it.
# OPT (default -O2) and SUFFIX choose another build: `OPT="-O0 -g" SUFFIX=-O0g` writes
# NAME-O0g.wasm, the debug build native-debug is measured on (bench/checkpoints.ts --debug-build).
# Invariant: the outputs import nothing, export `memory` and `run`, and are
# reproducible (no build path inside; binaryen's wasm-opt kept off PATH so clang
# does not post-process the module).
set -eu
cd "${1:-$(dirname "$0")}"

CLANG=${CLANG:-clang}
if ! command -v "$CLANG" >/dev/null 2>&1; then
  echo "build.sh: clang not found (install clang 14, wasm-ld and libclang-rt-14-dev-wasm32)" >&2
  exit 1
fi
if ! command -v wasm-ld >/dev/null 2>&1; then
  echo "build.sh: wasm-ld not found (install lld)" >&2
  exit 1
fi

# Drop node_modules/.bin (binaryen's wasm-opt) from PATH: clang runs any
# wasm-opt it finds after linking at -O, which would change the committed output.
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v 'node_modules/.bin' | paste -sd: -)
export PATH
if command -v wasm-opt >/dev/null 2>&1; then
  echo "build.sh: a wasm-opt is on PATH ($(command -v wasm-opt)); remove it so clang does not run it" >&2
  exit 1
fi

for src in *.c; do
  out="${src%.c}${SUFFIX:-}.wasm"
  # shellcheck disable=SC2086 # OPT holds several flags
  "$CLANG" --target=wasm32 ${OPT:--O2} -nostdlib -fno-builtin -ffreestanding \
    -fdebug-prefix-map="$PWD"=. \
    -Wall -Wextra -Werror \
    -Wl,--no-entry -Wl,--export=run \
    -o "$out" "$src"
  echo "built $out ($(wc -c <"$out") bytes)"
done
