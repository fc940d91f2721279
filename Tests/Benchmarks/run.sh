#!/usr/bin/env bash
# Benchmarks for jitsi-jwt (issue 5). Prints a table of figures with ratios against baselines measured in the same
# run (the machine is shared and noisy: compare ratios, not absolute figures, across runs).
#
# Usage: Tests/Benchmarks/run.sh [--quick] [--no-build] [--only load|scale|audit|mint|verify|one]
#
#   --quick     fewer rounds/tokens, 1k and 10k generated hosts only (a smoke run, ~1 min)
#   --no-build  use the binaries already built in $SCRATCH and $SCRATCH-static
#   --only X    one section
#
# Needs: swift, lua5.4 + prosody (Debian 0.12 loader), hyperfine, /usr/bin/python3 with python3-jwt (PyJWT),
#        jwt (Go's golang-jwt CLI, Debian package `jwt`), openssl, GNU time (/usr/bin/time).
# Environment: SCRATCH (default .build-bench); the static-stdlib CLI is built in $SCRATCH-static.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
SCRATCH=${SCRATCH:-.build-bench}
QUICK=0 BUILD=1 ONLY=""
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) QUICK=1 ;;
        --no-build) BUILD=0 ;;
        --only) ONLY=$2; shift ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
want() { [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]; }

FIXTURE=$ROOT/Fixtures/debian/etc/prosody/prosody.cfg.lua
SECRET=k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW   # the fixture's app_secret
ISSUER=acme_meet SUBJECT=meet.example.com
WORK=$(mktemp -d /tmp/jitsi-jwt-bench.XXXXXX)
trap '[ "$BASHPID" = "$$" ] && rm -rf "$WORK"' EXIT   # not in process-substitution subshells

if [ $BUILD = 1 ]; then
    swift build -c release --scratch-path "$SCRATCH" --product jitsi-jwt-bench >&2
    swift build -c release --scratch-path "$SCRATCH" --product jitsi-jwt >&2
    swift build -c release --scratch-path "$SCRATCH-static" --static-swift-stdlib --product jitsi-jwt >&2
fi
BENCH=$ROOT/$SCRATCH/release/jitsi-jwt-bench
CLI=$ROOT/$SCRATCH/release/jitsi-jwt
CLI_STATIC=$ROOT/$SCRATCH-static/release/jitsi-jwt
[ -x "$CLI_STATIC" ] || CLI_STATIC=$CLI

if [ $QUICK = 1 ]; then
    RUNS=30 MINT_N=100000 VERIFY_N=50000 PY_N=20000 PY_PAIR_N=10000 BATCH_N=50000 ROUNDS=3 SIZES="1000 10000"
else
    RUNS=200 MINT_N=500000 VERIFY_N=200000 PY_N=100000 PY_PAIR_N=30000 BATCH_N=200000 ROUNDS=5
    SIZES="1000 10000 100000"
fi

ROWS=()
row() { ROWS+=("$(printf '%s|%s|%s|%s|%s' "$@")"); }
# field NAME LINE: the value of NAME=… in a result line
field() { sed -n "s/.*[[:space:]]$1=\([^[:space:]]*\).*/\1/p" <<<" $2"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.2f×", a / b }'; }
# hyperfine means in ms: hf NAME COMMAND... prints the wall-clock means on one line; "$WORK/NAME.sd" gets the standard
# deviations and "$WORK/NAME.cpu" the user+system CPU means (steadier than wall time on a shared machine).
hf() {
    local name=$1; shift
    hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$WORK/$name.json" "$@" >/dev/null 2>&1
    python3 - "$WORK/$name" <<'PY'
import json, sys
base = sys.argv[1]
r = json.load(open(base + ".json"))["results"]
open(base + ".sd", "w").write(" ".join("%.3f" % (x["stddev"] * 1000) for x in r) + "\n")
open(base + ".cpu", "w").write(" ".join("%.3f" % ((x["user"] + x["system"]) * 1000) for x in r) + "\n")
print(" ".join("%.3f" % (x["mean"] * 1000) for x in r))  # last: the caller reads the files once this line arrives
PY
}

# ---------------------------------------------------------------------------------------------------------------------
if want load; then
    read -r ours lua < <(hf load "$CLI_STATIC hosts $FIXTURE" "lua5.4 Tests/Oracles/prosody-dump.lua --hosts $FIXTURE")
    read -r ours_sd lua_sd < "$WORK/load.sd"
    read -r ours_cpu lua_cpu < "$WORK/load.cpu"
    read -r dyn _ < <(hf loaddyn "$CLI hosts $FIXTURE" "true")
    read -r dyn_cpu _ < "$WORK/loaddyn.cpu"
    row "config load, Jitsi fixture, whole process (hyperfine -N, mean wall; CPU = user+sys)" \
        "jitsi-jwt hosts (static stdlib): $ours ± $ours_sd ms, CPU $ours_cpu ms; dynamic stdlib: $dyn ms, CPU $dyn_cpu ms" \
        "Prosody 0.12 loader (lua5.4): $lua ± $lua_sd ms, CPU $lua_cpu ms" \
        "wall $(ratio "$ours" "$lua"), CPU $(ratio "$ours_cpu" "$lua_cpu")" "≤ 1.00×"
fi

# ---------------------------------------------------------------------------------------------------------------------
if want scale; then
    # In-process loader (ConfigLoader.load: the sandbox evaluation and the copy out) and its peak RSS, the Prosody
    # loader on the same file, and the whole `jitsi-jwt hosts` and `jitsi-jwt dump --show-secrets` processes against
    # it: CPU (user+sys, steadier than wall time on a shared machine) and peak RSS, from GNU time. `hosts` runs up to
    # HOSTS_MAX hosts (default: every size).
    HOSTS_MAX=${HOSTS_MAX:-100000}
    declare -A L P D
    # cpu FILE: user+sys seconds of a GNU time line "%e %U %S %M"
    cpu() { awk '{ printf "%.2f", $2 + $3 }' "$1"; }
    rss() { awk '{ printf "%d", $4 / 1024 }' "$1"; }
    big="--max-memory 4096 --max-file-size 1048576 --max-instructions 20000 --timeout 3600 --max-output 4096"
    for n in $SIZES; do
        cfg=$WORK/hosts-$n.cfg.lua
        "$BENCH" gen-config "$n" > "$cfg"
        kib_file=$(( $(stat -c %s "$cfg") / 1024 ))
        mem=$(( n >= 100000 ? 1024 : 64 ))
        /usr/bin/time -f "%e %M" -o "$WORK/time" "$BENCH" load "$cfg" --rounds 1 --max-memory "$mem" --model 0 > "$WORK/load-$n.out"
        read -r secs kib < "$WORK/time"
        L[$n]=$(field median_ms "$(cat "$WORK/load-$n.out")")
        /usr/bin/time -f "%e %U %S %M" -o "$WORK/prosody" lua5.4 Tests/Oracles/prosody-dump.lua --hosts "$cfg" > /dev/null
        P[$n]=$(cpu "$WORK/prosody")
        prosody="Prosody loader (prosody-dump.lua --hosts, whole process): CPU ${P[$n]} s, $(rss "$WORK/prosody") MiB"
        /usr/bin/time -f "%e %U %S %M" -o "$WORK/dump" "$CLI" dump --show-secrets $big "$cfg" > /dev/null
        D[$n]=$(cpu "$WORK/dump")
        whole="not run (HOSTS_MAX=$HOSTS_MAX)" whole_ratio=""
        if [ "$n" -le "$HOSTS_MAX" ]; then
            /usr/bin/time -f "%e %U %S %M" -o "$WORK/hosts" "$CLI" hosts $big "$cfg" > /dev/null
            whole="CPU $(cpu "$WORK/hosts") s, $(rss "$WORK/hosts") MiB"
            whole_ratio="; hosts CPU $(ratio "$(cpu "$WORK/hosts")" "${P[$n]}"), RSS $(ratio "$(rss "$WORK/hosts")" "$(rss "$WORK/prosody")")"
        fi
        row "generated config: $n VirtualHosts + $n Components (${kib_file} KiB)" \
            "loader ${L[$n]} ms, process peak RSS $((kib / 1024)) MiB (--max-memory $mem); whole \`dump\`: CPU ${D[$n]} s, $(rss "$WORK/dump") MiB; whole \`hosts\`: $whole" \
            "$prosody" \
            "dump CPU $(ratio "${D[$n]}" "${P[$n]}"), RSS $(ratio "$(rss "$WORK/dump")" "$(rss "$WORK/prosody")")$whole_ratio" \
            "$([ "$n" -ge 100000 ] && echo "≤ 1.5× in CPU and RSS")"
    done
    if [ -n "${L[10000]:-}" ] && [ -n "${L[1000]:-}" ]; then
        row "growth 1k → 10k hosts (loader)" "$(ratio "${L[10000]}" "${L[1000]}")" \
            "Prosody: $(ratio "${P[10000]}" "${P[1000]}")" "" "10k < 1 s and < 200 MiB"
    fi
    if [ -n "${L[100000]:-}" ]; then
        row "growth 10k → 100k hosts (loader; whole dump)" "$(ratio "${L[100000]}" "${L[10000]}"); dump $(ratio "${D[100000]}" "${D[10000]}")" \
            "Prosody: $(ratio "${P[100000]}" "${P[10000]}")" "" "≤ 11×"
    fi
fi

# median N...: the middle of the numbers (the upper middle of an even count).
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
# spread N...: the lowest and highest of the numbers, "LOW-HIGH".
spread() { printf '%s\n' "$@" | sort -n | awk 'NR == 1 { low = $1 } { high = $1 } END { print low "-" high }'; }
# pyjwt_round: one round of PyJWT's encode and decode over PY_PAIR_N tokens, "ENCODE_PER_S DECODE_PER_S". The whole
# batch processes are each paired with a round just before them: PyJWT's rate on this machine moves by half within
# a minute (18.8k-30.6k decodes per CPU second in six rounds), more than a baseline taken once can stand for.
# Arguments, if any, are a command that Python runs under (`taskset -c 0`).
pyjwt_round() {
    local out
    out=$("$@" /usr/bin/python3 Tests/Benchmarks/pyjwt_bench.py "$PY_PAIR_N" "$SECRET" "$ISSUER" "$SUBJECT" 1)
    echo "$(field encode_per_s "$out") $(field decode_per_s "$out")"
}

# ---------------------------------------------------------------------------------------------------------------------
if want mint || want verify; then
    py=$(/usr/bin/python3 Tests/Benchmarks/pyjwt_bench.py "$PY_N" "$SECRET" "$ISSUER" "$SUBJECT" "$ROUNDS")
    py_enc=$(field encode_per_s "$py") py_dec=$(field decode_per_s "$py")
fi
if want mint; then
    mint=$("$BENCH" mint --count "$MINT_N" --rounds "$ROUNDS" --config "$FIXTURE")
    ours=$(field median_per_s "$mint")
    bytes=$(field token_bytes "$mint")
    # The physical limit: one HMAC-SHA256 over the signing input (header.payload, the token minus its signature).
    input=$((bytes - 44))
    sha=$(openssl speed -seconds 3 -bytes "$input" -evp sha256 2>/dev/null | awk '/^sha256/ { print $NF }')
    hmac=$(openssl speed -seconds 3 -bytes "$input" -hmac sha256 2>/dev/null | awk '/^hmac/ { print $NF }')
    sha_ops=$(awk -v k="${sha%k}" -v b="$input" 'BEGIN { printf "%d", k * 1000 / b }')
    hmac_ops=$(awk -v k="${hmac%k}" -v b="$input" 'BEGIN { printf "%d", k * 1000 / b }')
    row "batch minting, one core, ${bytes}-byte tokens (tokens/s, median of $ROUNDS)" \
        "jitsi-jwt-bench mint: $ours /s (String API $(field string_api_per_s "$mint") /s)" \
        "PyJWT $(field version "$py") jwt.encode: $py_enc /s" \
        "$(ratio "$ours" "$py_enc") of PyJWT; $(awk -v a="$ours" -v b="$hmac_ops" 'BEGIN { printf "%.0f%%", 100*a/b }') of the HMAC limit" \
        "≥ 10× PyJWT, ≥ 700k/s"
    # The real command, whole process (the static-stdlib binary, as .ci/install installs it): JSON Lines with PyJWT's
    # claims in, records out, on every core. Rates per CPU second (user+sys, all threads) compare with PyJWT's one
    # core; wall rates show what the cores together give.
    awk -v n="$BATCH_N" 'BEGIN { for (i = 0; i < n; i++) printf "{\"room\":\"room-%d\",\"user_id\":\"user-%d\",\"name\":\"User %d\",\"email\":\"user%d@example.com\",\"avatar\":\"https://example.com/avatars/%d.png\",\"moderator\":%s,\"features\":{\"livestreaming\":false,\"recording\":true}}\n", i % 1000, i, i, i, i, (i % 2 == 0 ? "true" : "false") }' > "$WORK/batch.jsonl"
    cpu_rates=() wall_rates=() py_rates=() ratios=()
    for _ in $(seq "$ROUNDS"); do
        read -r py_round _ < <(pyjwt_round)
        /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$CLI_STATIC" mint --config "$FIXTURE" --batch "$WORK/batch.jsonl" \
            > /dev/null 2> "$WORK/batch.err"
        read -r secs user sys < "$WORK/time"
        cpu_rates+=("$(awk -v n="$BATCH_N" -v c="$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')" 'BEGIN { printf "%d", n / c }')")
        wall_rates+=("$(awk -v n="$BATCH_N" -v w="$secs" 'BEGIN { printf "%d", n / w }')")
        py_rates+=("$py_round")
        ratios+=("$(awk -v a="${cpu_rates[-1]}" -v b="$py_round" 'BEGIN { printf "%.2f", a / b }')")
    done
    batch_cpu=$(median "${cpu_rates[@]}") batch_wall=$(median "${wall_rates[@]}")
    row "\`mint --batch\` whole process (static stdlib), $BATCH_N JSON lines (PyJWT's claims), $(nproc) cores (median of $ROUNDS rounds, each after a PyJWT round)" \
        "$batch_cpu lines per CPU second; wall $batch_wall lines/s" \
        "PyJWT jwt.encode, one core, no input to parse: $(median "${py_rates[@]}") /s ($(spread "${py_rates[@]}"))" \
        "per core $(median "${ratios[@]}")× ($(spread "${ratios[@]}")×), wall $(ratio "$batch_wall" "$(median "${py_rates[@]}")")" "≥ 10× per core"
    row "physical limit at ${input} B (openssl speed, 3 s)" "HMAC-SHA256 (-hmac sha256): $hmac_ops /s" \
        "SHA-256 (-evp sha256): $sha_ops /s" "" ""
fi
if want verify; then
    verify=$("$BENCH" verify --count "$VERIFY_N" --rounds "$ROUNDS" --config "$FIXTURE")
    ours=$(field median_per_s "$verify")
    row "batch verifying, one core (server rules, all accepted)" "jitsi-jwt-bench verify: $ours /s" \
        "PyJWT jwt.decode(aud=jitsi): $py_dec /s" "$(ratio "$ours" "$py_dec") of PyJWT" "≥ 10×"
    # The whole `verify --batch` process over VERIFY_N JSON lines {"token", "room"} (config load included; the
    # static-stdlib binary, as installed), all cores: tokens per CPU second is the per-core rate, tokens per wall
    # second the machine's.
    "$BENCH" tokens "$VERIFY_N" --config "$FIXTURE" \
        | awk '{ printf "{\"token\":\"%s\",\"room\":\"room-%d\"}\n", $0, (NR - 1) % 1000 }' > "$WORK/verify.jsonl"
    # Median of ROUNDS runs, as for mint --batch: one run's CPU rate moves by a fifth on a shared machine; each run
    # after a round of PyJWT, its ratio that round's. verify_rounds SINK [COMMAND...]: the rounds, the records written
    # to SINK (/dev/null, as for every other whole-process row, or a file), PyJWT and the process each run under
    # COMMAND if given (`taskset -c 0`), into cpu_rates, wall_rates, py_rates, ratios, sys_shares and vkib. CPU and
    # wall time from bash's `time` (milliseconds; GNU time prints hundredths, 4 % of a 0.25 s run), the peak RSS
    # from GNU time.
    verify_rounds() {
        local sink=$1 TIMEFORMAT='%3R %3U %3S'
        shift
        cpu_rates=() wall_rates=() py_rates=() ratios=() sys_shares=()
        for _ in $(seq "$ROUNDS"); do
            read -r _ py_round < <(pyjwt_round "$@")
            { time /usr/bin/time -f "%M" -o "$WORK/rss" "$@" "$CLI_STATIC" verify --config "$FIXTURE" \
                --batch "$WORK/verify.jsonl" > "$sink" 2> "$WORK/verify.err"; } 2> "$WORK/time"
            read -r vwall vuser vsys < "$WORK/time"
            read -r vkib < "$WORK/rss"
            grep -q " $VERIFY_N accepted, 0 refused" "$WORK/verify.err" || { cat "$WORK/verify.err" >&2; exit 1; }
            cpu_rates+=("$(awk -v n="$VERIFY_N" -v u="$vuser" -v s="$vsys" 'BEGIN { printf "%d", n / (u + s) }')")
            wall_rates+=("$(awk -v n="$VERIFY_N" -v w="$vwall" 'BEGIN { printf "%d", n / w }')")
            sys_shares+=("$(awk -v u="$vuser" -v s="$vsys" 'BEGIN { printf "%d", 100 * s / (u + s) }')")
            py_rates+=("$py_round")
            ratios+=("$(awk -v a="${cpu_rates[-1]}" -v b="$py_round" 'BEGIN { printf "%.2f", a / b }')")
        done
    }
    verify_rounds /dev/null
    per_cpu=$(median "${cpu_rates[@]}") per_wall=$(median "${wall_rates[@]}")
    row "verify --batch, whole process (static stdlib), $VERIFY_N JSON lines, records to /dev/null (all cores; per core = per CPU second; median of $ROUNDS rounds, each after a PyJWT round)" \
        "$per_cpu /s per core, $per_wall /s wall ($(nproc) cores), peak RSS $((vkib / 1024)) MiB" \
        "PyJWT jwt.decode(aud=jitsi), one core: $(median "${py_rates[@]}") /s ($(spread "${py_rates[@]}"))" \
        "$(median "${ratios[@]}")× of PyJWT per core ($(spread "${ratios[@]}")×)" "≥ 10×"
    # The same process and PyJWT both pinned to one core (taskset -c 0), each round PyJWT then us: the two workers
    # share that core, so the rate is one core's whole, without what running on two cores costs in waiting and
    # caches (PyJWT's rate does not move when a second PyJWT runs on the other core).
    if command -v taskset > /dev/null; then
        verify_rounds /dev/null taskset -c 0
        row "verify --batch pinned to one core (taskset -c 0), $VERIFY_N JSON lines, records to /dev/null (median of $ROUNDS rounds, each after a PyJWT round on the same core)" \
            "$(median "${cpu_rates[@]}") /s per CPU second" \
            "PyJWT jwt.decode(aud=jitsi) on the same core: $(median "${py_rates[@]}") /s ($(spread "${py_rates[@]}"))" \
            "$(median "${ratios[@]}")× of PyJWT on one core ($(spread "${ratios[@]}")×)" ""
    fi
    # The records (about 700 bytes a line) written to a file instead: the kernel's copy into the page cache and the
    # file's pages, charged to the process as system time, which PyJWT's decoding (no output) has no part of.
    verify_rounds "$WORK/verdicts.jsonl"
    row "verify --batch as above, records written to a file in $(dirname "$WORK") (all cores)" \
        "$(median "${cpu_rates[@]}") /s per core, system time $(median "${sys_shares[@]}") % of the CPU" \
        "PyJWT jwt.decode(aud=jitsi), one core: $(median "${py_rates[@]}") /s ($(spread "${py_rates[@]}"))" \
        "$(median "${ratios[@]}")× of PyJWT per core ($(spread "${ratios[@]}")×)" ""
fi

# ---------------------------------------------------------------------------------------------------------------------
if want one; then
    printf '%s' "$SECRET" > "$WORK/hs.key"
    "$BENCH" claims-json --config "$FIXTURE" > "$WORK/claims.json"
    # Each tool must accept the other's token.
    "$CLI_STATIC" mint --config "$FIXTURE" --room room-1 --name "User 0" > "$WORK/ours.jwt"
    jwt -key "$WORK/hs.key" -alg HS256 -verify "$WORK/ours.jwt" > /dev/null
    jwt -key "$WORK/hs.key" -alg HS256 -sign "$WORK/claims.json" > "$WORK/go.jwt"
    "$CLI" verify --config "$FIXTURE" --room room-0 - < "$WORK/go.jwt" > /dev/null
    read -r ours go nocfg version < <(hf one "$CLI_STATIC mint --config $FIXTURE --room room-1 --name User" \
        "jwt -key $WORK/hs.key -alg HS256 -sign $WORK/claims.json" \
        "$CLI_STATIC mint --host meet.example.com --app-id $ISSUER --secret-file $WORK/hs.key --room room-1 --name User" \
        "$CLI_STATIC --version")
    read -r ours_sd go_sd nocfg_sd version_sd < "$WORK/one.sd"
    read -r ours_cpu go_cpu nocfg_cpu version_cpu < "$WORK/one.cpu"
    row "one token, one whole process (hyperfine -N, mean wall; CPU = user+sys)" \
        "jitsi-jwt mint --config (static stdlib; evaluates the config in the sandbox): $ours ± $ours_sd ms, CPU $ours_cpu ms" \
        "Go jwt -sign claims.json: $go ± $go_sd ms, CPU $go_cpu ms" \
        "wall $(ratio "$ours" "$go"), CPU $(ratio "$ours_cpu" "$go_cpu")" "≤ 2.00×"
    row "one token without a config (--secret-file, --app-id, --host)" "$nocfg ± $nocfg_sd ms, CPU $nocfg_cpu ms" \
        "Go jwt: $go ms, CPU $go_cpu ms" "wall $(ratio "$nocfg" "$go"), CPU $(ratio "$nocfg_cpu" "$go_cpu")" "≤ 1.50×"
    # The floor under both: argument-parser's root parse of --version alone (no command's options, no crypto).
    row "floor: jitsi-jwt --version (argument-parser's root parse and the Swift runtime's start, nothing else)" \
        "$version ± $version_sd ms, CPU $version_cpu ms" "Go jwt: $go ms, CPU $go_cpu ms" \
        "wall $(ratio "$version" "$go"), CPU $(ratio "$version_cpu" "$go_cpu")" ""
fi

# ---------------------------------------------------------------------------------------------------------------------
if want audit; then
    # `audit` against `hosts` on the same generated configs (1k and 10k token hosts, each with its MUC): both load
    # the config once and read one deployment model, so audit must grow like hosts does (linear in the hosts).
    declare -A AU HO
    for n in 1000 10000; do
        cfg=$WORK/audit-$n.cfg.lua
        "$BENCH" gen-config "$n" > "$cfg"
        limits=(--max-memory 256 --max-file-size 1048576 --max-instructions 20000 --timeout 3600)
        # CPU seconds (user+sys), steadier than wall time on a shared machine.
        /usr/bin/time -f "%U %S %M" -o "$WORK/time" "$CLI" hosts "${limits[@]}" "$cfg" > /dev/null
        read -r huser hsys hkib < "$WORK/time"
        hsecs=$(awk -v u="$huser" -v s="$hsys" 'BEGIN { printf "%.2f", u + s }')
        /usr/bin/time -f "%U %S %M" -o "$WORK/time" "$CLI" audit "${limits[@]}" --fail-on error "$cfg" > /dev/null || true
        read -r auser asys akib < "$WORK/time"
        asecs=$(awk -v u="$auser" -v s="$asys" 'BEGIN { printf "%.2f", u + s }')
        HO[$n]=$hsecs AU[$n]=$asecs
        row "audit vs hosts, $n token VirtualHosts + $n MUCs (CPU)" "audit ${asecs} s, $((akib / 1024)) MiB" \
            "hosts ${hsecs} s, $((hkib / 1024)) MiB" "$(ratio "$asecs" "$hsecs")" "audit linear in hosts"
    done
    row "growth 1k → 10k hosts (audit)" "$(ratio "${AU[10000]}" "${AU[1000]}")" \
        "hosts: $(ratio "${HO[10000]}" "${HO[1000]}")" "" "≈ 10× (linear)"
fi

# ---------------------------------------------------------------------------------------------------------------------
echo
echo "jitsi-jwt benchmarks, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| measurement | jitsi-jwt | baseline | ratio | target |"
echo "|---|---|---|---|---|"
for r in "${ROWS[@]}"; do echo "| ${r//|/ | } |"; done
