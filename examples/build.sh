#!/usr/bin/env bash
# Rebuilds the example modules from their C sources with clang (freestanding:
# no libc, no imports). The .wasm files are committed, so running the
# examples needs no compiler; rerun this after editing a .c file.
set -euo pipefail
cd "$(dirname "$0")"

# binaryen's wasm-opt (node_modules/.bin) must not be on PATH: clang would run it after linking.
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v 'node_modules/.bin' | paste -sd: -)
CLANG=${CLANG:-clang}
OUT=${OUT:-.}  # where the .wasm files go (a test rebuilds into a temporary folder)

for src in fib checksum; do
  "$CLANG" --target=wasm32 -O2 -nostdlib -fdebug-prefix-map="$PWD"=. \
    -Wl,--no-entry -o "$OUT/$src.wasm" "$src.c"
  chmod 644 "$OUT/$src.wasm"
  echo "built examples/$src.wasm ($(wc -c < "$OUT/$src.wasm") bytes)"
done
