#!/usr/bin/python3
"""Writes the seed corpus of FuzzVerify to Seeds/verify/ (see FuzzVerify.swift for the input layout).

Tokens are signed with PyJWT (Debian python3-jwt) with the fixture's app_secret and fixed times around the fuzzer's
clock (1_800_000_000), so the seeds reach the claim and room checks. FuzzConfigLoader needs no generated seeds: it
starts from Fixtures/ (every *.cfg.lua there, read recursively).
"""
import hashlib
import json
import os

import jwt

SECRET = "k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW"
NOW = 1_800_000_000
here = os.path.dirname(os.path.abspath(__file__))
out = os.path.join(here, "Seeds", "verify")
os.makedirs(out, exist_ok=True)


def claims(**extra):
    base = {"iss": "acme_meet", "aud": "jitsi", "sub": "meet.example.com", "room": "room-1",
            "iat": NOW - 60, "nbf": NOW - 60, "exp": NOW + 3600,
            "context": {"user": {"id": "u1", "name": "User 1", "email": "u1@example.com", "moderator": True},
                        "features": {"recording": True, "livestreaming": False}}}
    base.update(extra)
    return base


def write(mode, room, body):
    data = bytes([mode]) + room.encode() + b"\n" + body
    name = hashlib.sha1(data).hexdigest()[:16]
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)


header = {"alg": "HS256", "typ": "JWT"}
variants = [
    claims(),
    claims(room="*"),
    claims(room="ROOM-1"),
    claims(sub="*"),
    claims(sub="acme", context={"tenant": "acme", "user": {"name": "x"}}),
    claims(room="room%-%d", context={"room": {"regex": True}}),
    claims(room="(r)(o)+.*", context={"room": {"regex": "true"}}),
    claims(exp=NOW - 5),
    claims(nbf=NOW + 100),
    claims(exp="soon"),
    claims(iss="other"),
    claims(aud=["jitsi"]),
    claims(sub=None),
    claims(context=None),
    claims(extra={"nested": [1, 2.5, -0.0, 1e300, None, "\u00e9\ud83d\ude00"]}),
]
for mode, tenant_bit in ((0, 0), (1, 0), (2, 0), (0, 8)):
    for c in variants:
        c = {k: v for k, v in c.items() if v is not None}
        token = jwt.encode(c, SECRET, algorithm="HS256")
        room = "[acme]room-1" if tenant_bit else "room-1"
        write(mode | tenant_bit, room, token.encode())
# Self-signed mode: header and payload JSON as the server's decoder sees them.
for c in variants[:8]:
    write(4, "room-1", json.dumps(header).encode() + b"\n" + json.dumps(c).encode())
write(4, "room-1", b'{"alg":"HS256","typ":"JWT"}\n{"exp":1e999,"nbf":-Infinity,"iat":"0x10","iss":"acme_meet","aud":"x","sub":"MEET.example.com","room":"room-1"}')
write(4, "weekly-sync", b'{"typ":"JWT","alg":"HS256"}\n[1,2,3]')
write(4, "room-1", b'{"alg":"HS256","typ":"JWT"}\n{"iss":"acme_meet","aud":"jitsi","sub":"meet.example.com","room":"\\u00e9","context":{"room":{"regex":true}}}')
# Key server mode (RS256 rules): a kid header, and a broken one.
write(3, "room-1", b"eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJpc3MiOiJhY21lX21lZXQifQ.c2ln")
write(3, "room-1", b"eyJhbGciOjEsImtpZCI6MX0.e30.AA")
# Unsigned odds and ends.
for token in (b"", b"a.b.c", b"..", b"e30.e30.", b"eyJhbGciOiJub25lIn0.e30.", b"a\\b.c.d", b"=.=.="):
    write(0, "room-1", token)
    write(0x80, "room-1", token)
print(len(os.listdir(out)), "seeds in", out)
