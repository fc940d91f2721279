// The token's byte loops on AVX2 (see include/CVectorLoops.h). Compiled for the x86-64 baseline like the rest of
// the package: only the functions marked `target("avx2")` use the wider instructions, and only once the CPU and the
// kernel are known to support them.
//
// The decoder and the token's run classify a byte by its two nibbles, as Muła and Lemire's base64 decoder does
// ("Faster Base64 Encoding and Decoding Using AVX2 Instructions", 2018), with tables made for base64url. The
// alphabet by high nibble:
//   0x2: `-` (low nibble D)      0x3: `0`-`9` (0-9)
//   0x4, 0x6: `A`-`O`, `a`-`o` (1-F)      0x5, 0x7: `P`-`Z`, `p`-`z` (0-A), and 0x5 also `_` (F)
// A low nibble's table entry has a bit for each of those groups it belongs to, a high nibble's entry the bits of its
// groups; a byte is in the alphabet when the two entries share a bit. High nibbles 8-F (bytes above ASCII) have no
// bits.

#include "CVectorLoops.h"

#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>

/// Whether the CPU has AVX2 and the kernel saves the 32-byte registers (CPUID, XGETBV).
static int cvector_detect_avx2(void) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    if (!(ecx & bit_OSXSAVE) || !(ecx & bit_AVX)) return 0;
    unsigned xcr0_low, xcr0_high;
    __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
    if ((xcr0_low & 0x6) != 0x6) return 0;  // SSE and AVX state
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    return (ebx & bit_AVX2) != 0;
}

/// 1 with AVX2, 0 without, found on first use (CPUID traps to the hypervisor on a virtual machine, so it is asked
/// once; threads racing to ask store the same answer).
static int cvector_has_avx2(void) {
    static int known = -1;
    int value = __atomic_load_n(&known, __ATOMIC_RELAXED);
    if (value < 0) {
        value = cvector_detect_avx2();
        __atomic_store_n(&known, value, __ATOMIC_RELAXED);
    }
    return value;
}

// The groups of the alphabet (see the top of the file), one bit each.
enum { DASH = 1, DIGIT = 2, LETTER_FROM_A = 4, LETTER_TO_Z = 8, UNDERSCORE = 16 };

/// For each low nibble, the groups it belongs to.
#define LOW_NIBBLE_GROUPS                                                                                         \
    DIGIT | LETTER_TO_Z, DIGIT | LETTER_FROM_A | LETTER_TO_Z, DIGIT | LETTER_FROM_A | LETTER_TO_Z,                \
        DIGIT | LETTER_FROM_A | LETTER_TO_Z, DIGIT | LETTER_FROM_A | LETTER_TO_Z,                                 \
        DIGIT | LETTER_FROM_A | LETTER_TO_Z, DIGIT | LETTER_FROM_A | LETTER_TO_Z,                                 \
        DIGIT | LETTER_FROM_A | LETTER_TO_Z, DIGIT | LETTER_FROM_A | LETTER_TO_Z,                                 \
        DIGIT | LETTER_FROM_A | LETTER_TO_Z, LETTER_FROM_A | LETTER_TO_Z, LETTER_FROM_A, LETTER_FROM_A,           \
        LETTER_FROM_A | DASH, LETTER_FROM_A, LETTER_FROM_A | UNDERSCORE
/// For each high nibble, the groups of its bytes.
#define HIGH_NIBBLE_GROUPS                                                                                        \
    0, 0, DASH, DIGIT, LETTER_FROM_A, LETTER_TO_Z | UNDERSCORE, LETTER_FROM_A, LETTER_TO_Z, 0, 0, 0, 0, 0, 0, 0, 0

/// A 32-byte vector of the same 16 bytes in each half (`vpshufb` looks up within a half).
#define TWICE(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)

/// The lanes of `text` outside the alphabet: 0xFF in each, 0 in the others.
__attribute__((target("avx2"))) static inline __m256i cvector_outside_alphabet(__m256i text, __m256i *high) {
    const __m256i low_groups = TWICE(LOW_NIBBLE_GROUPS);
    const __m256i high_groups = TWICE(HIGH_NIBBLE_GROUPS);
    const __m256i nibble = _mm256_set1_epi8(0x0F);
    *high = _mm256_and_si256(_mm256_srli_epi16(text, 4), nibble);
    __m256i groups = _mm256_and_si256(_mm256_shuffle_epi8(low_groups, _mm256_and_si256(text, nibble)),
                                      _mm256_shuffle_epi8(high_groups, *high));
    return _mm256_cmpeq_epi8(groups, _mm256_setzero_si256());
}

__attribute__((target("avx2"))) static size_t cvector_decode_avx2(const uint8_t *text, size_t length,
                                                                  uint8_t *output) {
    // What to add to a character for its value, by high nibble; `_` (0x5F → 63) differs from its nibble's letters
    // (`P` 0x50 → 15) by 33, added where it is found.
    const __m256i offsets = TWICE(0, 0, 62 - 0x2D, 52 - 0x30, -0x41, -0x41, 26 - 0x61, 26 - 0x61, 0, 0, 0, 0, 0, 0, 0, 0);
    const __m256i underscore = _mm256_set1_epi8(0x5F);
    // Four values of six bits (each in a byte) into 24 bits: pairs into 12 bits, then the pairs into 24.
    const __m256i pair_weights = _mm256_set1_epi32(0x01400140);
    const __m256i quad_weights = _mm256_set1_epi32(0x00011000);
    // The three bytes of each 24-bit group, first byte first, packed at the start of each half...
    const __m256i pack = TWICE(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
    // ...and the halves' 12 bytes joined into 24.
    const __m256i join = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
    size_t index = 0;
    for (; index + 32 <= length; index += 32) {
        __m256i characters = _mm256_loadu_si256((const __m256i *)(text + index));
        __m256i high;
        if (_mm256_movemask_epi8(cvector_outside_alphabet(characters, &high)) != 0) break;
        __m256i shift = _mm256_add_epi8(
            _mm256_shuffle_epi8(offsets, high),
            _mm256_and_si256(_mm256_cmpeq_epi8(characters, underscore), _mm256_set1_epi8(33)));
        __m256i values = _mm256_add_epi8(characters, shift);
        __m256i groups = _mm256_madd_epi16(_mm256_maddubs_epi16(values, pair_weights), quad_weights);
        __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(groups, pack), join);
        uint8_t *target = output + index / 4 * 3;
        _mm_storeu_si128((__m128i *)target, _mm256_castsi256_si128(bytes));
        _mm_storel_epi64((__m128i *)(target + 16), _mm256_extracti128_si256(bytes, 1));
    }
    return index;
}

__attribute__((target("avx2"))) static size_t cvector_token_run_avx2(const uint8_t *text, size_t length,
                                                                     size_t start, int64_t dots[2],
                                                                     int64_t *dot_count) {
    const __m256i dot = _mm256_set1_epi8('.');
    size_t index = start;
    for (; index + 32 <= length; index += 32) {
        __m256i bytes = _mm256_loadu_si256((const __m256i *)(text + index));
        __m256i high;
        __m256i outside = cvector_outside_alphabet(bytes, &high);
        __m256i is_dot = _mm256_cmpeq_epi8(bytes, dot);
        uint32_t dot_bits = (uint32_t)_mm256_movemask_epi8(is_dot);
        uint32_t stop_bits = (uint32_t)_mm256_movemask_epi8(_mm256_andnot_si256(is_dot, outside));
        if ((dot_bits | stop_bits) == 0) continue;
        if (stop_bits != 0) dot_bits &= (1u << __builtin_ctz(stop_bits)) - 1;
        for (; dot_bits != 0; dot_bits &= dot_bits - 1) {
            if (*dot_count < 2) dots[*dot_count] = (int64_t)(index + (size_t)__builtin_ctz(dot_bits));
            *dot_count += 1;
        }
        if (stop_bits != 0) return index + (size_t)__builtin_ctz(stop_bits);
    }
    return index;
}

/// The lanes of `bytes` that are printable ASCII but `\\`: 0xFF in each, 0 in the others.
__attribute__((target("avx2"))) static inline __m256i cvector_plain_lanes(__m256i bytes) {
    // Signed: bytes above 0x7F are negative, so not above 0x1F.
    __m256i excluded = _mm256_or_si256(_mm256_cmpeq_epi8(bytes, _mm256_set1_epi8(0x7F)),
                                       _mm256_cmpeq_epi8(bytes, _mm256_set1_epi8('\\')));
    return _mm256_andnot_si256(excluded, _mm256_cmpgt_epi8(bytes, _mm256_set1_epi8(0x1F)));
}

__attribute__((target("avx2"))) static int cvector_is_plain_ascii_avx2(const uint8_t *text, size_t length) {
    __m256i plain = _mm256_set1_epi8(-1);
    size_t index = 0;
    for (; index + 32 <= length; index += 32)
        plain = _mm256_and_si256(plain, cvector_plain_lanes(_mm256_loadu_si256((const __m256i *)(text + index))));
    if (index < length) {
        // The last 32 bytes, some of them tested already; or a shorter text, followed by spaces.
        uint8_t short_text[32];
        const uint8_t *last = short_text;
        if (length >= 32) {
            last = text + length - 32;
        } else {
            memset(short_text, ' ', sizeof short_text);
            memcpy(short_text, text, length);
        }
        plain = _mm256_and_si256(plain, cvector_plain_lanes(_mm256_loadu_si256((const __m256i *)last)));
    }
    return (uint32_t)_mm256_movemask_epi8(plain) == UINT32_MAX;
}

int cvector_is_plain_ascii(const uint8_t *text, size_t length) {
    return cvector_has_avx2() ? cvector_is_plain_ascii_avx2(text, length) : -1;
}

size_t cvector_base64url_decode_blocks(const uint8_t *text, size_t length, uint8_t *output) {
    return length >= 32 && cvector_has_avx2() ? cvector_decode_avx2(text, length, output) : 0;
}

size_t cvector_token_run(const uint8_t *text, size_t length, size_t start, int64_t dots[2], int64_t *dot_count) {
    return start <= length && length - start >= 32 && cvector_has_avx2()
               ? cvector_token_run_avx2(text, length, start, dots, dot_count)
               : start;
}

#else

int cvector_is_plain_ascii(const uint8_t *text, size_t length) {
    (void)text, (void)length;
    return -1;
}

size_t cvector_base64url_decode_blocks(const uint8_t *text, size_t length, uint8_t *output) {
    (void)text, (void)length, (void)output;
    return 0;
}

size_t cvector_token_run(const uint8_t *text, size_t length, size_t start, int64_t dots[2], int64_t *dot_count) {
    (void)text, (void)length, (void)dots, (void)dot_count;
    return start;
}

#endif
