#!/usr/bin/env python3
"""Runs two jitsi-jwt binaries over the whole command-line surface and diffs what they print.

For a start-up change (argument declarations, linking) that must leave every output alone: each command's --help,
-h, --help-hidden, `help X`, --experimental-dump-help and completion scripts (bash, zsh, fish); every option of
every command without a value, before another option, and with a dozen bad values; unknown options and commands;
and the success and refusal paths of mint, verify, decode, hosts, dump, credentials and audit on the fixtures,
non-ASCII names (ICU) included. stdout, stderr and the exit status of each are compared, with the clock fixed by a
small LD_PRELOAD shim (built with cc) so that tokens are byte for byte comparable.

Usage: Tests/Benchmarks/cli-surface-diff.py OLD_BINARY NEW_BINARY
Exit 0 when every invocation printed the same, 1 otherwise (the first differences are printed).
"""
import difflib
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = ROOT + "/Fixtures/debian/etc/prosody/prosody.cfg.lua"
SHIM = r"""
#define _GNU_SOURCE
#include <dlfcn.h>
#include <sys/time.h>
#include <time.h>
static const time_t fixed = 1796000000;
time_t time(time_t *t) { if (t) *t = fixed; return fixed; }
int gettimeofday(struct timeval *tv, void *tz) { (void)tz; tv->tv_sec = fixed; tv->tv_usec = 0; return 0; }
int clock_gettime(clockid_t id, struct timespec *ts) {
    static int (*real)(clockid_t, struct timespec *);
    if (id == CLOCK_REALTIME || id == CLOCK_REALTIME_COARSE) { ts->tv_sec = fixed; ts->tv_nsec = 0; return 0; }
    if (!real) real = (int (*)(clockid_t, struct timespec *))dlsym(RTLD_NEXT, "clock_gettime");
    return real(id, ts);
}
"""
BAD_VALUES = ["x", "-1", "0", "1e400", "abc=def", "", "2h", "0.12", "2026-06", "json", "nan", "99999999999999999999"]


def cases(binary, key):
    """Every argument vector to run, from the binary's own description of its commands."""
    described = json.loads(subprocess.run([binary, "--experimental-dump-help"], capture_output=True, text=True).stdout)
    out = [[], ["--help"], ["-h"], ["--help-hidden"], ["-help"], ["--version"], ["help"], ["help", "help"], ["nope"],
           ["--generate-completion-script", "bash"], ["--generate-completion-script", "zsh"],
           ["--generate-completion-script", "fish"], ["--generate-completion-script"],
           ["--generate-completion-script", "csh"], ["--experimental-dump-help"], ["--bogus"], ["help", "nope"],
           ["--version", "mint"], ["mint", "--version"], ["---completion", "mint", "--", "--config", "0", "0"]]
    for command in described["command"].get("subcommands", []):
        name = command["commandName"]
        for extra in [["--help"], ["-h"], ["--help-hidden"], ["--experimental-dump-help"], ["--bogus"], ["--version"],
                      [], ["--generate-completion-script", "bash"], ["x", "y", "z"], ["--", "--help"]]:
            out.append([name] + extra)
        out += [["help", name], ["help", name, "--help-hidden"], [name, "help"]]
        for argument in command.get("arguments", []):
            for spelling in argument.get("names") or []:
                flag = {"long": "--", "short": "-", "longWithSingleDash": "-"}[spelling["kind"]] + spelling["name"]
                if argument["kind"] == "flag":
                    out += [[name, flag], [name, flag, flag], [name, flag + "=x"]]
                elif argument["kind"] == "option":
                    out += [[name, flag], [name, flag, "--help"], [name, flag, "--host"]]
                    for value in BAD_VALUES:
                        out += [[name, flag, value], [name, flag + "=" + value]]
    flags = ["--host", "meet.example.com", "--app-id", "bench", "--secret-file", key]
    for extra in [[], ["--room", "r1"], ["--room", "r1", "--name", "User", "--format", "json"],
                  ["--format", "env", "--room", "a b"], ["--moderator", "--affiliation", "owner"], ["--no-moderator"],
                  ["--feature", "recording", "--feature", "x=false"], ["--feature", "=1"], ["--claim", "k=1"],
                  ["--claim", "k"], ["--claim", "k=1e400"], ["--context", "user.lobby_bypass=true"], ["--ttl", "1d"],
                  ["--ttl", "1x"], ["--exp", "2026-12-31T00:00:00Z"], ["--ttl", "1h", "--exp", "1900000000"],
                  ["--not-before-skew", "5m"], ["--batch", "-", "--format", "env"], ["--batch", "-", "--secret-file", "-"],
                  ["--jitsi-plugins", "2025-08"], ["--tenant", "t", "--room", "r"], ["--sub", "*"],
                  ["--public-host", "x.example"], ["--max-memory", "0"], ["--timeout", "0"],
                  ["--no-env", "--allow-env", "A"], ["--allow-env", "1A"], ["--prosody-version", "0.12"],
                  ["--algorithm", "HS512"], ["--kid", "k"], ["--muc", "m.example"], ["--room", "Ünïcode Room"]]:
        out.append(["mint"] + flags + extra)
    unicode = ROOT + "/Fixtures/semantics/nameprep-unicode.cfg.lua"
    out += [["mint", "--host", "mëet.example.com", "--app-id", "bench", "--secret-file", key, "--room", "r1"],
            ["mint", "--config", FIXTURE, "--room", "r1"], ["mint", "--config", FIXTURE, "--format", "json"],
            ["hosts", FIXTURE], ["hosts", "--format", "json", FIXTURE], ["hosts", unicode], ["dump", unicode],
            ["dump", FIXTURE], ["credentials", FIXTURE], ["audit", FIXTURE], ["audit", "--format", "sarif", FIXTURE],
            ["hosts", "/nonexistent"], ["verify", "--config", FIXTURE, "-"], ["verify", "--config", FIXTURE, "x"],
            ["decode", "not-a-token"], ["decode", "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJiZW5jaCJ9.x"]]
    return out


def transcript(binary, all_cases, shim, work):
    """What `binary` prints for each case: one text per case (the binary's own path written as EXE)."""
    environment = dict(os.environ, LD_PRELOAD=shim, COLUMNS="80")
    environment.pop("SHELL", None)
    texts = []
    for arguments in all_cases:
        run = subprocess.run([binary] + arguments, capture_output=True, env=environment, input=b"", timeout=60,
                             cwd=work)
        texts.append("### %s\nrc=%d\n--- stdout\n%s\n--- stderr\n%s\n" % (
            json.dumps(arguments, ensure_ascii=False), run.returncode, run.stdout.decode("utf-8", "replace"),
            run.stderr.decode("utf-8", "replace").replace(binary, "EXE")))
    return texts


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    old, new = (os.path.abspath(path) for path in sys.argv[1:])
    with tempfile.TemporaryDirectory(prefix="jitsi-jwt-cli-surface.") as work:
        with open(work + "/fixed-clock.c", "w") as source:
            source.write(SHIM)
        shim = work + "/fixed-clock.so"
        subprocess.run(["cc", "-shared", "-fPIC", "-O2", "-o", shim, work + "/fixed-clock.c", "-ldl"], check=True)
        key = work + "/hs.key"
        with open(key, "w") as secret:
            secret.write("benchmark-secret-benchmark-secret")
        all_cases = cases(new, key)
        before, after = transcript(old, all_cases, shim, work), transcript(new, all_cases, shim, work)
    differing = [(a, b) for a, b in zip(before, after) if a != b]
    print("%d invocations, %d differ" % (len(all_cases), len(differing)))
    for a, b in differing[:5]:
        sys.stdout.writelines(difflib.unified_diff(a.splitlines(True), b.splitlines(True), "old", "new"))
    sys.exit(1 if differing else 0)


if __name__ == "__main__":
    main()
