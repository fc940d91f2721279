#ifndef CICU_H
#define CICU_H

#include <stdint.h>

/// RFC 3491 nameprep exactly as Prosody's util.encodings does it (util-src/encodings.c, ICU branch):
/// `USPREP_RFC3491_NAMEPREP` with `USPREP_ALLOW_UNASSIGNED`, UTF-8 in and out, 1024-unit buffers, and inputs or
/// outputs of 1024 bytes or more refused. Returns the output length, or -1 where Prosody's nameprep returns nil.
int32_t cicu_nameprep(const char *input, int32_t input_length, char *output, int32_t output_capacity);

/// Unicode NFKC of UTF-8 text (what JavaScript's `String.prototype.normalize('NFKC')` does). Returns the output
/// length in bytes, -1 on invalid input, or the negated required capacity minus 2 when `output` is too small.
int32_t cicu_nfkc(const char *input, int32_t input_length, char *output, int32_t output_capacity);

#endif
