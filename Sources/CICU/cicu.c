// The system ICU (Debian libicu-dev), wrapped in two C functions. ICU's headers stay in this file: Swift modules
// that also see Foundation's bundled ICU (`_FoundationICU`) would otherwise meet two different definitions of the
// same ICU types.
//
// ICU is not linked: it is opened with `dlopen` the first time a name needs it (names of plain ASCII are prepared
// by StringPrep without ICU), so a process that never meets a non-ASCII name never maps libicuuc and libicudata.
// The library is the one the headers describe (`libicuuc.so.<major>`), and each function is looked up under the
// versioned name the headers rename it to (`usprep_openByType` is `usprep_openByType_72`), with the type the
// headers declare. Where ICU cannot be opened, both functions answer as for input they cannot prepare (-1).

#include "cicu.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>
#include <unicode/unorm2.h>
#include <unicode/usprep.h>
#include <unicode/ustring.h>
#include <unicode/uvernum.h>

#define CICU_STRING(x) #x
/// The string of `x` after macro expansion: the versioned symbol name of an ICU function.
#define CICU_EXPANDED_STRING(x) CICU_STRING(x)

/// The ICU functions used here, resolved once by `cicu_open_icu`.
static struct {
    __typeof__(&usprep_openByType) open_by_type;
    __typeof__(&usprep_prepare) prepare;
    __typeof__(&usprep_close) close;
    __typeof__(&u_strFromUTF8) from_utf8;
    __typeof__(&u_strToUTF8) to_utf8;
    __typeof__(&unorm2_getNFKCInstance) nfkc_instance;
    __typeof__(&unorm2_normalize) normalize;
} cicu_icu;

/// Whether every function of `cicu_icu` was found.
static int cicu_icu_loaded;
static pthread_once_t cicu_icu_once = PTHREAD_ONCE_INIT;

#define CICU_BIND(field, function)                                                                                   \
    if (!(cicu_icu.field = (__typeof__(cicu_icu.field))dlsym(library, CICU_EXPANDED_STRING(function)))) return;

static void cicu_open_icu(void) {
    void *library = dlopen("libicuuc.so." CICU_EXPANDED_STRING(U_ICU_VERSION_MAJOR_NUM), RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
    CICU_BIND(open_by_type, usprep_openByType)
    CICU_BIND(prepare, usprep_prepare)
    CICU_BIND(close, usprep_close)
    CICU_BIND(from_utf8, u_strFromUTF8)
    CICU_BIND(to_utf8, u_strToUTF8)
    CICU_BIND(nfkc_instance, unorm2_getNFKCInstance)
    CICU_BIND(normalize, unorm2_normalize)
    cicu_icu_loaded = 1;
}

/// Opens ICU on first use (once per process, thread-safe); whether it is usable.
static int cicu_icu_available(void) {
    pthread_once(&cicu_icu_once, cicu_open_icu);
    return cicu_icu_loaded;
}

/// Room and host names never exceed this many UTF-16 units here (Prosody's own buffers hold 1024).
#define CICU_BUFFER_UNITS 1024

/// RFC 3491 nameprep exactly as Prosody's util.encodings does it (util-src/encodings.c, ICU branch):
/// `USPREP_RFC3491_NAMEPREP` with `USPREP_ALLOW_UNASSIGNED`, UTF-8 in and out, 1024-unit buffers, and inputs or
/// outputs of 1024 bytes or more refused. Returns the output length, or -1 where Prosody's nameprep returns nil.
int32_t cicu_nameprep(int32_t input_length, const unsigned char *input, int32_t output_capacity,
                      unsigned char *output) {
    if (input_length >= 1024 || !cicu_icu_available()) return -1;
    UErrorCode error = U_ZERO_ERROR;
    UStringPrepProfile *profile = cicu_icu.open_by_type(USPREP_RFC3491_NAMEPREP, &error);
    if (U_FAILURE(error)) return -1;
    UChar unprepped[CICU_BUFFER_UNITS];
    UChar prepped[CICU_BUFFER_UNITS];
    int32_t unprepped_length = 0;
    cicu_icu.from_utf8(unprepped, CICU_BUFFER_UNITS, &unprepped_length, (const char *)input, input_length, &error);
    if (U_FAILURE(error)) { cicu_icu.close(profile); return -1; }
    int32_t prepped_length = cicu_icu.prepare(profile, unprepped, unprepped_length, prepped, CICU_BUFFER_UNITS,
                                            USPREP_ALLOW_UNASSIGNED, NULL, &error);
    cicu_icu.close(profile);
    if (U_FAILURE(error)) return -1;
    int32_t output_length = 0;
    cicu_icu.to_utf8((char *)output, output_capacity, &output_length, prepped, prepped_length, &error);
    if (U_FAILURE(error) || output_length >= 1024 || output_length > output_capacity) return -1;
    return output_length;
}

/// Unicode NFKC of UTF-8 text (what JavaScript's `String.prototype.normalize('NFKC')` does). Returns the output
/// length in bytes, -1 on invalid input, or the negated required capacity minus 2 when `output` is too small.
int32_t cicu_nfkc(int32_t input_length, const unsigned char *input, int32_t output_capacity, unsigned char *output) {
    if (!cicu_icu_available()) return -1;
    UErrorCode error = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = cicu_icu.nfkc_instance(&error);
    if (U_FAILURE(error)) return -1;
    int32_t source_length = 0;
    cicu_icu.from_utf8(NULL, 0, &source_length, (const char *)input, input_length, &error);
    if (error != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(error)) return -1;
    error = U_ZERO_ERROR;
    UChar *source = (UChar *)malloc(sizeof(UChar) * (size_t)(source_length + 1));
    if (!source) return -1;
    cicu_icu.from_utf8(source, source_length + 1, &source_length, (const char *)input, input_length, &error);
    if (U_FAILURE(error)) { free(source); return -1; }
    int32_t normalized_capacity = source_length * 18 + 16;
    UChar *normalized = (UChar *)malloc(sizeof(UChar) * (size_t)normalized_capacity);
    if (!normalized) { free(source); return -1; }
    int32_t normalized_length =
        cicu_icu.normalize(nfkc, source, source_length, normalized, normalized_capacity, &error);
    free(source);
    if (U_FAILURE(error)) { free(normalized); return -1; }
    int32_t output_length = 0;
    cicu_icu.to_utf8((char *)output, output_capacity, &output_length, normalized, normalized_length, &error);
    free(normalized);
    if (error == U_BUFFER_OVERFLOW_ERROR || error == U_STRING_NOT_TERMINATED_WARNING) {
        return error == U_BUFFER_OVERFLOW_ERROR ? -(output_length + 2) : output_length;
    }
    if (U_FAILURE(error)) return -1;
    return output_length;
}

