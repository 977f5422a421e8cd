#!/bin/sh
# build.sh: regenerates the large C program with gen.mjs and compiles it to
# large.wasm (about 3.6 MB, Code section about 3.5 MB).
# Invariant: same generator arguments, same clang, same bytes: the generated C
# lives in a temp folder, so no path of this machine reaches the module.
set -eu
cd "$(dirname "$0")"
FUNCTIONS=${FUNCTIONS:-3000}
CLANG=${CLANG:-clang}
if ! command -v "$CLANG" >/dev/null 2>&1 || ! command -v wasm-ld >/dev/null 2>&1; then
  echo "build.sh: clang and wasm-ld are needed (clang 14, lld)" >&2
  exit 1
fi
# Keep binaryen's wasm-opt (node_modules/.bin) away from clang's post-link step.
PATH=$(printf '%s' "$PATH" | tr ':' '\n' | grep -v 'node_modules/.bin' | paste -sd: -)
export PATH
if command -v wasm-opt >/dev/null 2>&1; then
  echo "build.sh: a wasm-opt is on PATH ($(command -v wasm-opt)); remove it so clang does not run it" >&2
  exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
node gen.mjs "$work/large.c" "$FUNCTIONS"
echo "generated $FUNCTIONS functions ($(wc -c <"$work/large.c") bytes of C); compiling (about a minute)"
(cd "$work" && "$CLANG" --target=wasm32 -O2 -nostdlib -fno-builtin -ffreestanding \
  -fdebug-prefix-map="$work"=. -Wall -Werror \
  -Wl,--no-entry -Wl,--export=run -o large.wasm large.c)
cp "$work/large.wasm" large.wasm
echo "built large.wasm ($(wc -c <large.wasm) bytes)"
