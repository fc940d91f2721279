#!/usr/bin/env bash
# Runs two jitsi-jwt binaries' `verify --batch` over varied inputs and flag sets and compares what they print: for a
# change to the batch's reading, threading or record writing that must leave every record, the summary and the exit
# status alone.
#
# Inputs: 3,000 lines made with PyJWT on the Debian fixture's secret (accepted and refused at several checks, HS512,
# a wrong key, a damaged signature, bare / Bearer / join-URL / JSON lines, escapes, non-ASCII, unknown fields,
# `"token":null`, CRLF, blank lines, not JSON; a byte order mark first), a line over 1 MiB between two good ones,
# and N lines of run.sh's shape. Each under six flag sets (the config; --room; two plugin eras; no config, with
# --secret-file; --tenant), all at one clock second (--at), from a file and from stdin.
# Usage: Tests/Benchmarks/verify-batch-diff.sh OLD_BINARY NEW_BINARY [N]   (N: default 20000)
# Exit 0 when every run printed the same, 1 otherwise (the runs that differ are named).
set -euo pipefail
cd "$(dirname "$0")/../.."
old=$1 new=$2 count=${3:-20000}
fixture=$PWD/Fixtures/debian/etc/prosody/prosody.cfg.lua
secret=k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW   # the fixture's app_secret
work=$(mktemp -d /tmp/jitsi-jwt-batch-diff.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '%s' "$secret" > "$work/hs.key"

/usr/bin/python3 - "$work" "$secret" <<'PY'
import json, random, sys, time
import jwt
work, secret = sys.argv[1], sys.argv[2]
random.seed(7)
now = int(time.time())
base = {"iss": "acme_meet", "aud": "jitsi", "sub": "meet.example.com", "room": "r1", "iat": now, "nbf": now - 10,
        "exp": now + 3600, "context": {"user": {"name": "Ada", "id": "u1"}}}
def token(key=secret, algorithm="HS256", **changes):
    claims = dict(base, **changes)
    return jwt.encode({k: v for k, v in claims.items() if v is not None}, key, algorithm=algorithm)
tokens = [token(), token(room="*"), token(room="R1"), token(exp=now - 5), token(nbf=now + 1000), token(iss="other"),
          token(aud="x"), token(sub="other.example.com"), token(room=None),
          token(context={"user": {"name": "Ünïcödé \u0007 \"q\"", "moderator": True}}),
          token(extra={"a": [1, 2.5, -0.0, 1e300, "x"]}), token(key="wrong"), token(algorithm="HS512")]
lines = []
for i in range(3000):
    t = random.choice(tokens)
    room = random.choice(["r1", "R1", "room-%d" % i, "Weekly Sync", "ünï"])
    lines.append([
        t, "Bearer " + t, "https://meet.example.com/%s?jwt=%s" % (room.replace(" ", "%20"), t),
        json.dumps({"token": t, "room": room}), json.dumps({"room": room, "token": t, "tenant": "acme"}, ensure_ascii=False),
        '{"token":"%s","room":"r\\u0031"}' % t, "   ", '{"token":null,"room":"r1"}', '{"token":"%s","room":"r1","x":1}' % t,
        t[:-3] + "abc", '{"token":"%s","room":"r1"}\r' % t, "not json {",
    ][random.randrange(12)])
open(work + "/varied.txt", "w").write("\ufeff" + "\n".join(lines) + "\n")
open(work + "/long.txt", "w").write(lines[3] + "\n" + "x" * ((1 << 20) + 5) + "\n" + lines[4] + "\n")
PY
"$new" mint --config "$fixture" --room r0 > /dev/null   # the binary runs
python_tokens=$(/usr/bin/python3 -c "import jwt,time,sys; n=int(time.time()); [print(jwt.encode({'iss':'acme_meet','aud':'jitsi','sub':'meet.example.com','room':'room-%d'%(i%1000),'iat':n,'nbf':n-10,'exp':n+3600,'context':{'user':{'id':'user-%d'%i,'name':'User %d'%i}}},'$secret',algorithm='HS256')) for i in range($count)]")
awk '{ printf "{\"token\":\"%s\",\"room\":\"room-%d\"}\n", $0, (NR - 1) % 1000 }' <<<"$python_tokens" > "$work/lines.jsonl"

runs=0 differ=0
for input in "$work/varied.txt" "$work/long.txt" "$work/lines.jsonl"; do
    # Every run at one clock second (--at), so that the hints that quote the server's clock compare.
    at=$(date +%s)
    for flags in "--config $fixture" "--config $fixture --room r1" "--config $fixture --jitsi-plugins 2025-08" \
        "--host meet.example.com --app-id acme_meet --secret-file $work/hs.key" \
        "--config $fixture --tenant acme --room x" "--config $fixture --jitsi-plugins 2026-03 --room r1"; do
        flags="$flags --at $at"
        for mode in file stdin; do
            for side in old new; do
                binary=$old
                [ $side = new ] && binary=$new
                status=0
                # shellcheck disable=SC2086
                if [ $mode = file ]; then
                    "$binary" verify $flags --batch "$input" > "$work/$side.out" 2> "$work/$side.err" || status=$?
                else
                    "$binary" verify $flags --batch - < "$input" > "$work/$side.out" 2> "$work/$side.err" || status=$?
                fi
                echo "status $status" >> "$work/$side.err"
            done
            runs=$((runs + 1))
            if ! cmp -s "$work/old.out" "$work/new.out" || ! cmp -s "$work/old.err" "$work/new.err"; then
                differ=$((differ + 1))
                echo "differ: $(basename "$input") $flags ($mode)"
            fi
        done
    done
done
echo "$runs runs, $differ differ"
[ $differ = 0 ]
