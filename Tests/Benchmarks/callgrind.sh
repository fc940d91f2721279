#!/usr/bin/env bash
# Instructions per operation, the noise-free figure: callgrind on a stripped copy of jitsi-jwt-bench (valgrind 3.19
# cannot read Swift 6.3's debug info; the symbol table stays, so callgrind_annotate names functions), (I_refs(2N) - I_refs(N)) / N, so that process start and set-up cancel out.
# Usage: Tests/Benchmarks/callgrind.sh mint|verify [N]   (after swift build -c release --scratch-path .build-bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
what=${1:-mint} n=${2:-2000}
bin=$(mktemp /tmp/jitsi-jwt-bench.stripped.XXXXXX)
trap 'rm -f "$bin" /tmp/callgrind.out.$$.*' EXIT
strip --strip-debug -o "$bin" "${SCRATCH:-.build-bench}/release/jitsi-jwt-bench"
refs() {
    valgrind --tool=callgrind --callgrind-out-file=/tmp/callgrind.out.$$.$1 "$bin" "$what" --count "$1" --rounds 1 \
        --string-api 0 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
a=$(refs "$n") b=$(refs $((2 * n)))
echo "$what instructions/op: $(( (b - a) / n ))"
