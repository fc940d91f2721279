#ifndef CICU_H
#define CICU_H

#include <stdint.h>

// Buffers are (length, pointer) pairs whose bounds Swift's importer sees (`SafeInteropWrappers`): StringPrep passes
// a `Span<UInt8>` for the input and an `inout MutableSpan<UInt8>` for the output, with no unsafe code.
#if defined(__has_feature) && __has_feature(bounds_safety_attributes)  // Swift with SafeInteropWrappers
#define CICU_COUNTED_BY(n) __attribute__((__counted_by__(n)))
#define CICU_NOESCAPE __attribute__((noescape))
#else
#define CICU_COUNTED_BY(n)
#define CICU_NOESCAPE
#endif

/// RFC 3491 nameprep exactly as Prosody's util.encodings does it (util-src/encodings.c, ICU branch):
/// `USPREP_RFC3491_NAMEPREP` with `USPREP_ALLOW_UNASSIGNED`, UTF-8 in and out, 1024-unit buffers, and inputs or
/// outputs of 1024 bytes or more refused. Returns the output length, or -1 where Prosody's nameprep returns nil.
int32_t cicu_nameprep(int32_t input_length, const unsigned char *CICU_COUNTED_BY(input_length) CICU_NOESCAPE input,
                      int32_t output_capacity, unsigned char *CICU_COUNTED_BY(output_capacity) CICU_NOESCAPE output);

/// Unicode NFKC of UTF-8 text (what JavaScript's `String.prototype.normalize('NFKC')` does). Returns the output
/// length in bytes, -1 on invalid input, or the negated required capacity minus 2 when `output` is too small.
int32_t cicu_nfkc(int32_t input_length, const unsigned char *CICU_COUNTED_BY(input_length) CICU_NOESCAPE input,
                  int32_t output_capacity, unsigned char *CICU_COUNTED_BY(output_capacity) CICU_NOESCAPE output);

#endif
