#ifndef CVECTORLOOPS_H
#define CVECTORLOOPS_H

// A verified token's three longest byte loops on the CPU's 32-byte vectors (AVX2), which Swift cannot use in a build
// for the x86-64 baseline (SSE2): base64url decoding, the search for a compact token's end, and the payload's test
// for plain ASCII. The first two handle whole 32-byte blocks from the start and return how far they got; the
// caller's own loop (JitsiToken's byte loops, which alone call these) goes on from there with the same rules, so the
// two together give the caller's results. On a CPU without AVX2, or another architecture, each returns at once
// having done nothing.
//
// Pointers and lengths are the caller's bounds: nothing is read at or past `text + length`, and the decoder writes
// exactly 24 bytes per 32 characters it consumes. No state but the CPU's features, read once.

#include <stddef.h>
#include <stdint.h>

/// Decodes the leading 32-character blocks of `text` that are base64url characters only (`A-Z a-z 0-9 - _`), each
/// into 24 bytes at `output`; stops before the first block that holds any other byte, or has fewer than 32 left.
/// Returns the characters consumed, a multiple of 32 (and so writes three quarters of that many bytes).
size_t cvector_base64url_decode_blocks(const uint8_t *text, size_t length, uint8_t *output);

/// A compact token's run from `start`: the offset of the first byte at or after `start` that is neither base64url
/// nor `.`, if one lies in a whole 32-byte block before `length`; otherwise the offset where fewer than 32 bytes
/// remain (which may be `start`). Every `.` before the offset returned adds one to `*dot_count`, and the first two
/// ever counted (while `*dot_count` was below 2) are stored at `dots[*dot_count]`.
size_t cvector_token_run(const uint8_t *text, size_t length, size_t start, int64_t dots[2], int64_t *dot_count);

/// Whether all of `text` is printable ASCII (0x20-0x7E) but `\\`: 1 or 0; -1 without AVX2, having done nothing.
int cvector_is_plain_ascii(const uint8_t *text, size_t length);

#endif
