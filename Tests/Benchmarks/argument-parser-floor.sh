#!/usr/bin/env bash
# The start-up floor that swift-argument-parser sets for a one-token process: a program of nothing but a root
# command and one subcommand with N `@Option var optionK: String?` options (no crypto, no config, no output but one
# line), built as run.sh builds jitsi-jwt (release, static stdlib, stripped), against the same argument-parser
# checkout. Prints the instructions (callgrind) of `exp mint --option1 a --option2 b --option3 c` for each N, and
# of jitsi-jwt's own `mint` without a config (40 options) for comparison.
# Usage: Tests/Benchmarks/argument-parser-floor.sh [N ...]   (default: 0 10 40; after run.sh's builds)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
parser=$root/${SCRATCH:-.build-bench}/checkouts/swift-argument-parser
[ -d "$parser" ] || { echo "no argument-parser checkout in $parser: run Tests/Benchmarks/run.sh first" >&2; exit 2; }
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(0 10 40)
work=$(mktemp -d /tmp/jitsi-jwt-parser-floor.XXXXXX)
trap 'rm -rf "$work"' EXIT

instructions() {
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null \
        | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}

mkdir -p "$work/Sources/exp"
cat > "$work/Package.swift" <<EOF
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "exp",
    dependencies: [.package(path: "$parser")],
    targets: [
        .executableTarget(
            name: "exp", dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")])
    ])
EOF
for n in "${counts[@]}"; do
    {
        echo 'import ArgumentParser'
        echo '@main struct Exp: ParsableCommand {'
        echo '    static let configuration = CommandConfiguration(subcommands: [Mint.self])'
        echo '}'
        echo 'struct Mint: ParsableCommand {'
        for ((k = 1; k <= n; k++)); do echo "    @Option(help: \"option $k\") var option$k: String?"; done
        echo '    func run() { print("minted") }'
        echo '}'
    } > "$work/Sources/exp/Exp.swift"
    swift build -c release --static-swift-stdlib --package-path "$work" > "$work/build.log" 2>&1 \
        || { cat "$work/build.log" >&2; exit 1; }
    strip --strip-debug -o "$work/exp" "$work/.build/release/exp"
    arguments=(mint)
    for ((k = 1; k <= n && k <= 3; k++)); do arguments+=(--option$k x); done
    echo "argument-parser, one subcommand with $n String? options: $(instructions "$work/exp" "${arguments[@]}") instructions"
done
cli=$root/${SCRATCH:-.build-bench}-static/release/jitsi-jwt
if [ -x "$cli" ]; then
    strip --strip-debug -o "$work/cli" "$cli"
    printf 'benchmark-secret-benchmark-secret' > "$work/hs.key"
    echo "jitsi-jwt mint without a config (40 options, signs one token): $(instructions "$work/cli" mint \
        --host meet.example.com --app-id bench --secret-file "$work/hs.key" --room room-1 --name User) instructions"
fi
