#!/bin/sh
# build.sh: rebuilds every bench/patterns/*.c with the kernels' build (bench/kernels/build.sh).
exec "$(dirname "$0")/../kernels/build.sh" "$(dirname "$0")"
