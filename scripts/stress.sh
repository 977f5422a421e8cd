#!/usr/bin/env bash
# Heavier checks than `npm test`, run by .ci/run after it: the whole spec suite
# through the CLI in each engine, and forced deopts on the bench kernels at
# their quick size and on the large module's frame maps. Needs dist/ (npm test
# builds it) and the spec suite beside the project (or $WASMFLIP_SPECTEST).
set -euo pipefail
cd "$(dirname "$0")/.."

for engine in interp aot; do
  echo "== spec suite, engine $engine"
  node bin/wasmflip.js spectest --engine "$engine"
done

echo "== forced deopts: kernels at quick n (every 7th checkpoint), large-module frame maps"
WASMFLIP_DEOPT_FULL=1 WASMFLIP_DEOPT_LARGE=1 npx vitest run test/deopt

# Forced deopts through compiled code (issue 6): the spec suite on aot-deopt at N=1 and N=7 (only
# aot's known f32 signalling-NaN results may differ), and the bench kernels at their quick n
# against kernels.json under --deopt-every 7.
for n in 1 7; do
  echo "== spec suite, engine aot-deopt, a deopt at every ${n}th checkpoint"
  WASMFLIP_DEOPT_EVERY=$n node bin/wasmflip.js spectest --engine aot-deopt
done
echo "== forced deopts through compiled code: kernels at quick n (every 7th checkpoint)"
WASMFLIP_DEOPT_FULL=1 npx vitest run test/runtime/deopt-entry.test.ts

# Differential fuzz: binaryen's random modules in V8 and in every tier (npm test runs 16 seeds).
echo "== differential fuzz against V8: 400 seeds"
WASMFLIP_FUZZ_SEEDS=400 npx vitest run test/runtime/fuzz.test.ts
