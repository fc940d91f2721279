#ifndef CCRYPTO_H
#define CCRYPTO_H

// Every cryptographic primitive of jitsi-jwt, from the system OpenSSL's libcrypto (crypto.c): HMAC and digests of
// SHA-2, comparison in constant time, and RSASSA-PKCS1-v1_5 with its keys (PEM in and out, generation). Buffers
// are (length, pointer) pairs whose bounds Swift's importer sees (`SafeInteropWrappers`): Swift passes a
// `Span<UInt8>` in and an `inout MutableSpan<UInt8>` out. Results are values; what is held across calls is an HMAC
// key, a plain value its owner keeps (and clears) where OpenSSL's code reads it, and an RSA key, an opaque handle
// its owner frees. No state anywhere else.
//
// `hash_bits` names the SHA-2 function: 256, 384 or 512 (anything else is 256).

#include <stddef.h>
#include <stdint.h>

#if defined(__has_feature) && __has_feature(bounds_safety_attributes)  // Swift with SafeInteropWrappers
#define CCRYPTO_COUNTED_BY(n) __attribute__((__counted_by__(n)))
#define CCRYPTO_NOESCAPE __attribute__((noescape))
#else
#define CCRYPTO_COUNTED_BY(n)
#define CCRYPTO_NOESCAPE
#endif

/// Bytes in, for Swift a `Span<UInt8>`.
#define CCRYPTO_IN(n) const unsigned char *CCRYPTO_COUNTED_BY(n) CCRYPTO_NOESCAPE
/// Bytes out, for Swift an `inout MutableSpan<UInt8>`.
#define CCRYPTO_OUT(n) unsigned char *CCRYPTO_COUNTED_BY(n) CCRYPTO_NOESCAPE

/// An HMAC key absorbed once: the SHA-2 states after `key ⊕ ipad` and after `key ⊕ opad` (a key longer than a
/// block hashed first). A plain value, read in place: each MAC starts from a copy of its inner state, then of its
/// outer one, so a MAC costs the message's blocks (with its padding) and one more.
typedef struct ccrypto_hmac_key {
    uint64_t states[54];  // inner, then outer: two SHA512_CTX (216 bytes each), or two SHA256_CTX at the start
    int32_t hash_bits;
} ccrypto_hmac_key;

/// The HMAC key for `hash_bits` over the raw `key` bytes.
ccrypto_hmac_key ccrypto_hmac_key_prepare(int32_t hash_bits, size_t key_length, CCRYPTO_IN(key_length) key);

/// The key whose inner state has absorbed `prefix` as well: the MAC of `m` under it is the MAC of `prefix` then `m`
/// under `*key` (for messages that start alike, hashed once).
ccrypto_hmac_key ccrypto_hmac_key_absorb(const ccrypto_hmac_key *key, size_t prefix_length,
                                         CCRYPTO_IN(prefix_length) prefix);

/// Writes the MAC of `message` under `*key` (read where it lies; the per-message state is a copy of one of its
/// states at a time) into `mac`; returns its length (32, 48 or 64), or 0 when `capacity` is smaller.
size_t ccrypto_hmac(const ccrypto_hmac_key *key, size_t message_length, CCRYPTO_IN(message_length) message,
                    size_t capacity, CCRYPTO_OUT(capacity) mac);

/// Overwrites `*key` with zeros (`OPENSSL_cleanse`), before its memory is given back.
void ccrypto_hmac_key_clear(ccrypto_hmac_key *key);

/// Writes the SHA-2 digest of `message` into `digest`; returns its length, or 0 when `capacity` is smaller.
size_t ccrypto_digest(int32_t hash_bits, size_t message_length, CCRYPTO_IN(message_length) message,
                      size_t capacity, CCRYPTO_OUT(capacity) digest);

/// 1 when `a` and `b` have the same length and bytes, else 0; `CRYPTO_memcmp`, in time that depends only on the
/// lengths.
int ccrypto_equal(size_t a_length, CCRYPTO_IN(a_length) a, size_t b_length, CCRYPTO_IN(b_length) b);

/// An RSA key (an `EVP_PKEY`), private or public; freed with `ccrypto_rsa_key_free`. Safe to use from several
/// threads at once.
typedef struct ccrypto_rsa_key ccrypto_rsa_key;

/// Why a key could not be read or made.
enum {
    CCRYPTO_RSA_OK = 0,
    /// No PEM block of the kind, or its contents are not a key.
    CCRYPTO_RSA_NOT_A_KEY = 1,
    /// A key, but not RSA (EC, Ed25519, RSA-PSS, ...).
    CCRYPTO_RSA_NOT_RSA = 2,
    /// Under 1024 bits.
    CCRYPTO_RSA_TOO_SMALL = 3,
    /// Encrypted with a passphrase (never asked for).
    CCRYPTO_RSA_ENCRYPTED = 4,
    /// The private key's numbers do not belong together.
    CCRYPTO_RSA_INCONSISTENT = 5,
    /// Generation failed.
    CCRYPTO_RSA_FAILED = 6,
};

/// A key read or made: `key` and its size, or `key` NULL and `failure` why.
typedef struct ccrypto_rsa_result {
    ccrypto_rsa_key *key;
    int32_t failure;
    int32_t bits;
} ccrypto_rsa_result;

/// The first RSA private key in PEM text: PKCS#1 (`RSA PRIVATE KEY`) or PKCS#8 (`PRIVATE KEY`), unencrypted, at
/// least 1024 bits, its numbers consistent.
ccrypto_rsa_result ccrypto_rsa_private_key_from_pem(size_t length, CCRYPTO_IN(length) pem);

/// The first RSA public key in PEM text: SubjectPublicKeyInfo (`PUBLIC KEY`) or PKCS#1 (`RSA PUBLIC KEY`), at
/// least 1024 bits.
ccrypto_rsa_result ccrypto_rsa_public_key_from_pem(size_t length, CCRYPTO_IN(length) pem);

/// A new RSA key of `bits` bits, public exponent 65537.
ccrypto_rsa_result ccrypto_rsa_generate(int32_t bits);

void ccrypto_rsa_key_free(ccrypto_rsa_key *key);

/// The RSASSA-PKCS1-v1_5 signature of `message` with the SHA-2 of `hash_bits`, written into `signature`; returns
/// its length (the modulus size), or 0 when `key` is not private, `capacity` is smaller, or signing failed.
size_t ccrypto_rsa_sign(const ccrypto_rsa_key *key, int32_t hash_bits, size_t message_length,
                        CCRYPTO_IN(message_length) message, size_t capacity, CCRYPTO_OUT(capacity) signature);

/// 1 when `signature` (exactly the modulus size) is the RSASSA-PKCS1-v1_5 signature of `message` with the SHA-2 of
/// `hash_bits`, else 0.
int ccrypto_rsa_verify(const ccrypto_rsa_key *key, int32_t hash_bits, size_t message_length,
                       CCRYPTO_IN(message_length) message, size_t signature_length,
                       CCRYPTO_IN(signature_length) signature);

/// What `ccrypto_rsa_export` writes.
enum {
    /// The private key, PEM, PKCS#1 (`RSA PRIVATE KEY`), ending in a newline.
    CCRYPTO_RSA_PRIVATE_PEM = 1,
    /// The public key, PEM, SubjectPublicKeyInfo (`PUBLIC KEY`), without a final newline.
    CCRYPTO_RSA_PUBLIC_PEM = 2,
    /// The modulus, big-endian, no leading zero bytes.
    CCRYPTO_RSA_MODULUS = 3,
    /// The public exponent, big-endian, no leading zero bytes.
    CCRYPTO_RSA_PUBLIC_EXPONENT = 4,
};

/// Writes `what` of `key` into `output` when it fits; returns its length either way (0 when it cannot be made, as
/// the private PEM of a public key).
size_t ccrypto_rsa_export(const ccrypto_rsa_key *key, int32_t what, size_t capacity, CCRYPTO_OUT(capacity) output);

#endif
