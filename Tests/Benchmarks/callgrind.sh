#!/usr/bin/env bash
# Instructions per operation, the noise-free figure: callgrind on stripped copies of the release binaries (valgrind
# 3.19 cannot read Swift 6.3's debug info; the symbol table stays, so callgrind_annotate names functions),
# (I_refs(2N) - I_refs(N)) / N, so that process start and set-up cancel out.
#   mint, verify              one token in process (jitsi-jwt-bench mint|verify: sign, or verify with the fixture's
#                             rules and the key prepared once)
#   mint-batch, verify-batch  one JSON line of the whole `jitsi-jwt mint|verify --config FIXTURE --batch FILE`
#                             process, on the lines run.sh uses (PyJWT's claims; {"token","room"})
# Usage: Tests/Benchmarks/callgrind.sh mint|verify|mint-batch|verify-batch [N]
#        (after swift build -c release --scratch-path .build-bench)
set -euo pipefail
cd "$(dirname "$0")/../.."
what=${1:-mint} n=${2:-2000}
scratch=${SCRATCH:-.build-bench}
fixture=$PWD/Fixtures/debian/etc/prosody/prosody.cfg.lua
work=$(mktemp -d /tmp/jitsi-jwt-callgrind.XXXXXX)
trap 'rm -rf "$work"' EXIT
strip --strip-debug -o "$work/bench" "$scratch/release/jitsi-jwt-bench"
strip --strip-debug -o "$work/cli" "$scratch/release/jitsi-jwt"

# mint-lines N: N lines of PyJWT's claims, as run.sh's mint --batch row.
mint_lines() {
    awk -v n="$1" 'BEGIN { for (i = 0; i < n; i++) printf "{\"room\":\"room-%d\",\"user_id\":\"user-%d\",\"name\":\"User %d\",\"email\":\"user%d@example.com\",\"avatar\":\"https://example.com/avatars/%d.png\",\"moderator\":%s,\"features\":{\"livestreaming\":false,\"recording\":true}}\n", i % 1000, i, i, i, i, (i % 2 == 0 ? "true" : "false") }'
}
# verify-lines N: N lines {"token","room"} of tokens the fixture's server accepts, as run.sh's verify --batch row.
verify_lines() {
    "$work/bench" tokens "$1" --config "$fixture" \
        | awk '{ printf "{\"token\":\"%s\",\"room\":\"room-%d\"}\n", $0, (NR - 1) % 1000 }'
}

# refs COUNT: the instructions of one run over COUNT operations.
refs() {
    local command
    case $what in
    mint | verify) command=("$work/bench" "$what" --count "$1" --rounds 1 --string-api 0) ;;
    mint-batch)
        mint_lines "$1" > "$work/lines.$1"
        command=("$work/cli" mint --config "$fixture" --batch "$work/lines.$1") ;;
    verify-batch)
        verify_lines "$1" > "$work/lines.$1"
        command=("$work/cli" verify --config "$fixture" --batch "$work/lines.$1") ;;
    *) echo "usage: $0 mint|verify|mint-batch|verify-batch [N]" >&2; exit 2 ;;
    esac
    valgrind --tool=callgrind --callgrind-out-file="$work/callgrind.$1" "${command[@]}" 2>&1 >/dev/null \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
a=$(refs "$n") b=$(refs $((2 * n)))
echo "$what instructions/op: $(( (b - a) / n ))"
