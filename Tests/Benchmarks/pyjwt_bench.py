#!/usr/bin/python3
"""PyJWT baseline for Tests/Benchmarks/run.sh: batch HS256 encode and decode in one Python process.

Usage: /usr/bin/python3 pyjwt_bench.py N SECRET ISSUER SUBJECT [ROUNDS]

The claims are the ones jitsi-jwt-bench builds (sampleClaims in Sources/jitsi-jwt-bench/main.swift), built anew
for every token. Decode is jwt.decode(token, secret, algorithms=["HS256"], audience="jitsi"): signature, exp,
nbf, iat and aud checks. Prints `pyjwt encode_per_s=… decode_per_s=…` (medians of ROUNDS rounds), per second of
the process's CPU time (time.process_time), as jitsi-jwt's rates are: on a shared machine wall time counts the
other tenants' work against PyJWT (at load 4 its wall rate was 17k/s against 23k/s of CPU time).
"""
import statistics
import sys
import time

import jwt

n = int(sys.argv[1])
secret, issuer, subject = sys.argv[2], sys.argv[3], sys.argv[4]
rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 3
now = int(time.time())


def sample_claims(i):
    return {
        "iss": issuer, "aud": "jitsi", "sub": subject, "room": f"room-{i % 1000}",
        "iat": now, "nbf": now - 10, "exp": now + 3600,
        "context": {
            "user": {"id": f"user-{i}", "name": f"User {i}", "email": f"user{i}@example.com",
                     "avatar": f"https://example.com/avatars/{i}.png", "moderator": i % 2 == 0},
            "features": {"livestreaming": False, "recording": True},
        },
    }


encode_rates, decode_rates = [], []
tokens = []
for _ in range(rounds):
    start = time.process_time()
    tokens = [jwt.encode(sample_claims(i), secret, algorithm="HS256") for i in range(n)]
    encode_rates.append(n / (time.process_time() - start))
    start = time.process_time()
    for token in tokens:
        jwt.decode(token, secret, algorithms=["HS256"], audience="jitsi")
    decode_rates.append(n / (time.process_time() - start))
print(f"pyjwt version={jwt.__version__} count={n} rounds={rounds} token_bytes={len(tokens[-1])} "
      f"encode_per_s={int(statistics.median(encode_rates))} decode_per_s={int(statistics.median(decode_rates))}")
