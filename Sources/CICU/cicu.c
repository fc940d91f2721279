// The system ICU (Debian libicu-dev), wrapped in two C functions. ICU's headers stay in this file: Swift modules
// that also see Foundation's bundled ICU (`_FoundationICU`) would otherwise meet two different definitions of the
// same ICU types. ICU renames every symbol with its version (usprep_open_72) through header macros.

#include "cicu.h"

#include <stdlib.h>
#include <unicode/unorm2.h>
#include <unicode/usprep.h>
#include <unicode/ustring.h>

/// Room and host names never exceed this many UTF-16 units here (Prosody's own buffers hold 1024).
#define CICU_BUFFER_UNITS 1024

/// RFC 3491 nameprep exactly as Prosody's util.encodings does it (util-src/encodings.c, ICU branch):
/// `USPREP_RFC3491_NAMEPREP` with `USPREP_ALLOW_UNASSIGNED`, UTF-8 in and out, 1024-unit buffers, and inputs or
/// outputs of 1024 bytes or more refused. Returns the output length, or -1 where Prosody's nameprep returns nil.
int32_t cicu_nameprep(int32_t input_length, const unsigned char *input, int32_t output_capacity,
                      unsigned char *output) {
    if (input_length >= 1024) return -1;
    UErrorCode error = U_ZERO_ERROR;
    UStringPrepProfile *profile = usprep_openByType(USPREP_RFC3491_NAMEPREP, &error);
    if (U_FAILURE(error)) return -1;
    UChar unprepped[CICU_BUFFER_UNITS];
    UChar prepped[CICU_BUFFER_UNITS];
    int32_t unprepped_length = 0;
    u_strFromUTF8(unprepped, CICU_BUFFER_UNITS, &unprepped_length, (const char *)input, input_length, &error);
    if (U_FAILURE(error)) { usprep_close(profile); return -1; }
    int32_t prepped_length = usprep_prepare(profile, unprepped, unprepped_length, prepped, CICU_BUFFER_UNITS,
                                            USPREP_ALLOW_UNASSIGNED, NULL, &error);
    usprep_close(profile);
    if (U_FAILURE(error)) return -1;
    int32_t output_length = 0;
    u_strToUTF8((char *)output, output_capacity, &output_length, prepped, prepped_length, &error);
    if (U_FAILURE(error) || output_length >= 1024 || output_length > output_capacity) return -1;
    return output_length;
}

/// Unicode NFKC of UTF-8 text (what JavaScript's `String.prototype.normalize('NFKC')` does). Returns the output
/// length in bytes, -1 on invalid input, or the negated required capacity minus 2 when `output` is too small.
int32_t cicu_nfkc(int32_t input_length, const unsigned char *input, int32_t output_capacity, unsigned char *output) {
    UErrorCode error = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&error);
    if (U_FAILURE(error)) return -1;
    int32_t source_length = 0;
    u_strFromUTF8(NULL, 0, &source_length, (const char *)input, input_length, &error);
    if (error != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(error)) return -1;
    error = U_ZERO_ERROR;
    UChar *source = (UChar *)malloc(sizeof(UChar) * (size_t)(source_length + 1));
    if (!source) return -1;
    u_strFromUTF8(source, source_length + 1, &source_length, (const char *)input, input_length, &error);
    if (U_FAILURE(error)) { free(source); return -1; }
    int32_t normalized_capacity = source_length * 18 + 16;
    UChar *normalized = (UChar *)malloc(sizeof(UChar) * (size_t)normalized_capacity);
    if (!normalized) { free(source); return -1; }
    int32_t normalized_length = unorm2_normalize(nfkc, source, source_length, normalized, normalized_capacity, &error);
    free(source);
    if (U_FAILURE(error)) { free(normalized); return -1; }
    int32_t output_length = 0;
    u_strToUTF8((char *)output, output_capacity, &output_length, normalized, normalized_length, &error);
    free(normalized);
    if (error == U_BUFFER_OVERFLOW_ERROR || error == U_STRING_NOT_TERMINATED_WARNING) {
        return error == U_BUFFER_OVERFLOW_ERROR ? -(output_length + 2) : output_length;
    }
    if (U_FAILURE(error)) return -1;
    return output_length;
}

