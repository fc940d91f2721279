// jitsi-jwt's cryptography on the system OpenSSL's libcrypto; see include/CCrypto.h for the interface.
//
// HMAC keeps its two SHA-2 states after absorbing the padded key, so that a MAC is a copy of them plus the
// message's blocks: the low-level SHA256_*/SHA512_* calls do this with no allocation and no provider lookup (a
// copied HMAC_CTX costs 1.6×, a duplicated EVP_MAC_CTX 2.9× per token). OpenSSL 3.0 deprecates them, not removes
// them; libcrypto.h silences the warning for this target only. Everything else is the EVP interface.
//
// SHA-2, OPENSSL_cleanse and CRYPTO_memcmp are linked from libcrypto.a; the rest of libcrypto is opened on first use
// (libcrypto.h): every public function that calls it starts with `ccrypto_need()`.

#include "CCrypto.h"
#include "libcrypto.h"

#include <limits.h>
#include <string.h>

// ---------------------------------------------------------------------------------------------------------------
// SHA-2 and HMAC

static int32_t ccrypto_normalized(int32_t hash_bits) {
    return hash_bits == 384 || hash_bits == 512 ? hash_bits : 256;
}

static size_t ccrypto_digest_length(int32_t hash_bits) { return (size_t)ccrypto_normalized(hash_bits) / 8; }

static const EVP_MD *ccrypto_md(int32_t hash_bits) {
    switch (ccrypto_normalized(hash_bits)) {
    case 384: return EVP_sha384();
    case 512: return EVP_sha512();
    default: return EVP_sha256();
    }
}

_Static_assert(2 * sizeof(SHA512_CTX) <= sizeof(((ccrypto_hmac_key *)0)->states), "two SHA-512 states fit");
_Static_assert(2 * sizeof(SHA256_CTX) <= sizeof(((ccrypto_hmac_key *)0)->states), "two SHA-256 states fit");

size_t ccrypto_digest(int32_t hash_bits, size_t message_length, const unsigned char *message, size_t capacity,
                      unsigned char *digest) {
    size_t length = ccrypto_digest_length(hash_bits);
    if (capacity < length) return 0;
    // Init, Update and Final, not the one-shot SHA256(): libcrypto.a defines that through EVP, and linking it would
    // bring in most of the library.
    if (ccrypto_normalized(hash_bits) == 256) {
        SHA256_CTX state;
        SHA256_Init(&state);
        SHA256_Update(&state, message, message_length);
        SHA256_Final(digest, &state);
        OPENSSL_cleanse(&state, sizeof state);
    } else {
        SHA512_CTX state;
        if (hash_bits == 384) SHA384_Init(&state); else SHA512_Init(&state);
        SHA512_Update(&state, message, message_length);
        SHA512_Final(digest, &state);
        OPENSSL_cleanse(&state, sizeof state);
    }
    return length;
}

ccrypto_hmac_key ccrypto_hmac_key_prepare(int32_t hash_bits, size_t key_length, const unsigned char *key) {
    ccrypto_hmac_key prepared;
    memset(&prepared, 0, sizeof prepared);
    prepared.hash_bits = ccrypto_normalized(hash_bits);
    size_t block = prepared.hash_bits == 256 ? SHA256_CBLOCK : SHA512_CBLOCK;
    unsigned char block_key[SHA512_CBLOCK] = {0};
    if (key_length > block) {
        ccrypto_digest(prepared.hash_bits, key_length, key, sizeof block_key, block_key);
    } else if (key_length > 0) {
        memcpy(block_key, key, key_length);
    }
    unsigned char inner_pad[SHA512_CBLOCK], outer_pad[SHA512_CBLOCK];
    for (size_t i = 0; i < block; i++) {
        inner_pad[i] = block_key[i] ^ 0x36;
        outer_pad[i] = block_key[i] ^ 0x5c;
    }
    if (prepared.hash_bits == 256) {
        SHA256_CTX states[2];
        SHA256_Init(&states[0]);
        SHA256_Update(&states[0], inner_pad, block);
        SHA256_Init(&states[1]);
        SHA256_Update(&states[1], outer_pad, block);
        memcpy(prepared.states, states, sizeof states);
        OPENSSL_cleanse(states, sizeof states);
    } else {
        SHA512_CTX states[2];
        if (prepared.hash_bits == 384) {
            SHA384_Init(&states[0]);
            SHA384_Init(&states[1]);
        } else {
            SHA512_Init(&states[0]);
            SHA512_Init(&states[1]);
        }
        SHA512_Update(&states[0], inner_pad, block);
        SHA512_Update(&states[1], outer_pad, block);
        memcpy(prepared.states, states, sizeof states);
        OPENSSL_cleanse(states, sizeof states);
    }
    OPENSSL_cleanse(block_key, sizeof block_key);
    OPENSSL_cleanse(inner_pad, sizeof inner_pad);
    OPENSSL_cleanse(outer_pad, sizeof outer_pad);
    return prepared;
}

ccrypto_hmac_key ccrypto_hmac_key_absorb(const ccrypto_hmac_key *key, size_t prefix_length,
                                         const unsigned char *prefix) {
    ccrypto_hmac_key absorbed = *key;
    if (absorbed.hash_bits == 256) {
        SHA256_CTX state;
        memcpy(&state, absorbed.states, sizeof state);
        SHA256_Update(&state, prefix, prefix_length);
        memcpy(absorbed.states, &state, sizeof state);
        OPENSSL_cleanse(&state, sizeof state);
    } else {
        SHA512_CTX state;
        memcpy(&state, absorbed.states, sizeof state);
        SHA512_Update(&state, prefix, prefix_length);
        memcpy(absorbed.states, &state, sizeof state);
        OPENSSL_cleanse(&state, sizeof state);
    }
    return absorbed;
}

size_t ccrypto_hmac(const ccrypto_hmac_key *key, size_t message_length, const unsigned char *message,
                    size_t capacity, unsigned char *mac) {
    size_t length = ccrypto_digest_length(key->hash_bits);
    if (capacity < length) return 0;
    unsigned char inner[SHA512_DIGEST_LENGTH];
    if (key->hash_bits == 256) {
        SHA256_CTX state;
        memcpy(&state, key->states, sizeof state);
        SHA256_Update(&state, message, message_length);
        SHA256_Final(inner, &state);
        memcpy(&state, (const unsigned char *)key->states + sizeof state, sizeof state);
        SHA256_Update(&state, inner, length);
        SHA256_Final(mac, &state);
    } else {
        // SHA384_Final is SHA512_Final with the state's own output length.
        SHA512_CTX state;
        memcpy(&state, key->states, sizeof state);
        SHA512_Update(&state, message, message_length);
        SHA512_Final(inner, &state);
        memcpy(&state, (const unsigned char *)key->states + sizeof state, sizeof state);
        SHA512_Update(&state, inner, length);
        SHA512_Final(mac, &state);
    }
    return length;
}

void ccrypto_hmac_key_clear(ccrypto_hmac_key *key) { OPENSSL_cleanse(key, sizeof *key); }

int ccrypto_equal(size_t a_length, const unsigned char *a, size_t b_length, const unsigned char *b) {
    if (a_length != b_length) return 0;
    if (a_length == 0) return 1;
    return CRYPTO_memcmp(a, b, a_length) == 0;
}

// ---------------------------------------------------------------------------------------------------------------
// RSA

/// The passphrase callback: an encrypted key is refused (and noted), never asked for on the terminal, which is
/// what OpenSSL's default callback would do.
static int ccrypto_refuse_passphrase(char *buffer, int size, int writing, void *asked) {
    (void)buffer, (void)size, (void)writing;
    if (asked != NULL) *(int *)asked = 1;
    return -1;
}

static ccrypto_rsa_result ccrypto_failure(int32_t failure) {
    ccrypto_rsa_result result = {NULL, failure, 0};
    return result;
}

/// `pkey` as a result when it is an RSA key of at least 1024 bits (freed otherwise).
static ccrypto_rsa_result ccrypto_checked(EVP_PKEY *pkey, int32_t failure) {
    ERR_clear_error();
    if (pkey == NULL) return ccrypto_failure(failure);
    if (EVP_PKEY_get_base_id(pkey) != EVP_PKEY_RSA) {
        EVP_PKEY_free(pkey);
        return ccrypto_failure(CCRYPTO_RSA_NOT_RSA);
    }
    int bits = EVP_PKEY_get_bits(pkey);
    if (bits < 1024) {
        EVP_PKEY_free(pkey);
        ccrypto_rsa_result result = {NULL, CCRYPTO_RSA_TOO_SMALL, bits};
        return result;
    }
    ccrypto_rsa_result result = {(ccrypto_rsa_key *)pkey, CCRYPTO_RSA_OK, bits};
    return result;
}

static BIO *ccrypto_reader(size_t length, const unsigned char *bytes) {
    if (length == 0 || length > INT_MAX) return NULL;
    return BIO_new_mem_buf(bytes, (int)length);
}

/// Whether a private key's numbers belong together, as BoringSSL's RSA_check_key (which swift-crypto applied) has
/// it: two primes (a multi-prime key is refused), n = pq, de ≡ 1 modulo p-1 and q-1, and the CRT values those of d
/// and q. No primality test: EVP_PKEY_pairwise_check adds one, at 0.2 s for a 2048-bit key and 1.3 s for 4096.
static int ccrypto_consistent(EVP_PKEY *pkey) {
    static const char *const names[] = {
        OSSL_PKEY_PARAM_RSA_N, OSSL_PKEY_PARAM_RSA_E, OSSL_PKEY_PARAM_RSA_D, OSSL_PKEY_PARAM_RSA_FACTOR1,
        OSSL_PKEY_PARAM_RSA_FACTOR2, OSSL_PKEY_PARAM_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT2,
        OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
    };
    enum { N, E, D, P, Q, DP, DQ, QI, COUNT };
    BIGNUM *numbers[COUNT] = {NULL};
    int ok = 1;
    for (int i = 0; i < COUNT; i++) ok = ok && EVP_PKEY_get_bn_param(pkey, names[i], &numbers[i]) == 1;
    BIGNUM *third = NULL;
    ok = ok && EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_FACTOR3, &third) != 1;
    BN_free(third);
    BN_CTX *context = BN_CTX_new();
    BIGNUM *t = BN_new(), *p1 = BN_new(), *q1 = BN_new();
    ok = ok && context != NULL && t != NULL && p1 != NULL && q1 != NULL
        && BN_mul(t, numbers[P], numbers[Q], context) && BN_cmp(t, numbers[N]) == 0
        && BN_sub(p1, numbers[P], BN_value_one()) && BN_sub(q1, numbers[Q], BN_value_one())
        && !BN_is_zero(p1) && !BN_is_zero(q1)
        && BN_mod_mul(t, numbers[D], numbers[E], p1, context) && BN_is_one(t)
        && BN_mod_mul(t, numbers[D], numbers[E], q1, context) && BN_is_one(t)
        && BN_mod(t, numbers[D], p1, context) && BN_cmp(t, numbers[DP]) == 0
        && BN_mod(t, numbers[D], q1, context) && BN_cmp(t, numbers[DQ]) == 0
        && BN_mod_mul(t, numbers[QI], numbers[Q], numbers[P], context) && BN_is_one(t);
    BN_free(t);
    BN_free(p1);
    BN_free(q1);
    BN_CTX_free(context);
    for (int i = 0; i < COUNT; i++) BN_clear_free(numbers[i]);
    return ok;
}

ccrypto_rsa_result ccrypto_rsa_private_key_from_pem(size_t length, const unsigned char *pem) {
    ccrypto_need();
    BIO *bio = ccrypto_reader(length, pem);
    if (bio == NULL) return ccrypto_failure(CCRYPTO_RSA_NOT_A_KEY);
    int asked = 0;
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(bio, NULL, ccrypto_refuse_passphrase, &asked);
    BIO_free(bio);
    ccrypto_rsa_result result = ccrypto_checked(pkey, asked ? CCRYPTO_RSA_ENCRYPTED : CCRYPTO_RSA_NOT_A_KEY);
    if (result.key == NULL) return result;
    int consistent = ccrypto_consistent((EVP_PKEY *)result.key);
    ERR_clear_error();
    if (!consistent) {
        EVP_PKEY_free((EVP_PKEY *)result.key);
        return ccrypto_failure(CCRYPTO_RSA_INCONSISTENT);
    }
    return result;
}

ccrypto_rsa_result ccrypto_rsa_public_key_from_pem(size_t length, const unsigned char *pem) {
    ccrypto_need();
    BIO *bio = ccrypto_reader(length, pem);
    if (bio == NULL) return ccrypto_failure(CCRYPTO_RSA_NOT_A_KEY);
    EVP_PKEY *pkey = PEM_read_bio_PUBKEY(bio, NULL, ccrypto_refuse_passphrase, NULL);
    if (pkey == NULL) {
        // PKCS#1 (`RSA PRIVATE KEY`'s public counterpart), read from the start again.
        BIO_free(bio);
        bio = ccrypto_reader(length, pem);
        RSA *rsa = bio == NULL ? NULL : PEM_read_bio_RSAPublicKey(bio, NULL, ccrypto_refuse_passphrase, NULL);
        if (rsa != NULL) {
            pkey = EVP_PKEY_new();
            if (pkey == NULL || EVP_PKEY_assign_RSA(pkey, rsa) != 1) {
                RSA_free(rsa);
                EVP_PKEY_free(pkey);
                pkey = NULL;
            }
        }
    }
    BIO_free(bio);
    return ccrypto_checked(pkey, CCRYPTO_RSA_NOT_A_KEY);
}

ccrypto_rsa_result ccrypto_rsa_generate(int32_t bits) {
    ccrypto_need();
    if (bits < 1024 || bits > 16384) return ccrypto_failure(CCRYPTO_RSA_FAILED);
    return ccrypto_checked(EVP_RSA_gen((unsigned int)bits), CCRYPTO_RSA_FAILED);
}

void ccrypto_rsa_key_free(ccrypto_rsa_key *key) {
    ccrypto_need();
    EVP_PKEY_free((EVP_PKEY *)key);
}

size_t ccrypto_rsa_sign(const ccrypto_rsa_key *key, int32_t hash_bits, size_t message_length,
                        const unsigned char *message, size_t capacity, unsigned char *signature) {
    ccrypto_need();
    EVP_PKEY *pkey = (EVP_PKEY *)key;
    int size = EVP_PKEY_get_size(pkey);
    if (size <= 0 || capacity < (size_t)size) return 0;
    static const unsigned char empty[1] = {0};
    if (message_length == 0) message = empty;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    EVP_PKEY_CTX *parameters = NULL;
    size_t written = capacity;
    int ok = context != NULL && EVP_DigestSignInit(context, &parameters, ccrypto_md(hash_bits), NULL, pkey) == 1
        && EVP_PKEY_CTX_set_rsa_padding(parameters, RSA_PKCS1_PADDING) == 1
        && EVP_DigestSign(context, signature, &written, message, message_length) == 1;
    EVP_MD_CTX_free(context);
    ERR_clear_error();
    return ok ? written : 0;
}

int ccrypto_rsa_verify(const ccrypto_rsa_key *key, int32_t hash_bits, size_t message_length,
                       const unsigned char *message, size_t signature_length, const unsigned char *signature) {
    ccrypto_need();
    EVP_PKEY *pkey = (EVP_PKEY *)key;
    int size = EVP_PKEY_get_size(pkey);
    if (size <= 0 || signature_length != (size_t)size) return 0;
    static const unsigned char empty[1] = {0};
    if (message_length == 0) message = empty;
    EVP_MD_CTX *context = EVP_MD_CTX_new();
    EVP_PKEY_CTX *parameters = NULL;
    int ok = context != NULL
        && EVP_DigestVerifyInit(context, &parameters, ccrypto_md(hash_bits), NULL, pkey) == 1
        && EVP_PKEY_CTX_set_rsa_padding(parameters, RSA_PKCS1_PADDING) == 1
        && EVP_DigestVerify(context, signature, signature_length, message, message_length) == 1;
    EVP_MD_CTX_free(context);
    ERR_clear_error();
    return ok;
}

/// The bytes a memory BIO holds, copied into `output` when they fit (without a final newline when `chop`).
static size_t ccrypto_drain(BIO *bio, int written, int chop, size_t capacity, unsigned char *output) {
    char *data = NULL;
    long length = written == 1 ? BIO_get_mem_data(bio, &data) : 0;
    if (length <= 0) return 0;
    if (chop && data[length - 1] == '\n') length--;
    if ((size_t)length <= capacity) memcpy(output, data, (size_t)length);
    return (size_t)length;
}

/// A number parameter of the key, big-endian, when it fits.
static size_t ccrypto_number(EVP_PKEY *pkey, const char *name, size_t capacity, unsigned char *output) {
    BIGNUM *number = NULL;
    if (EVP_PKEY_get_bn_param(pkey, name, &number) != 1) return 0;
    size_t length = (size_t)BN_num_bytes(number);
    if (length <= capacity) BN_bn2bin(number, output);
    BN_free(number);
    return length;
}

size_t ccrypto_rsa_export(const ccrypto_rsa_key *key, int32_t what, size_t capacity, unsigned char *output) {
    ccrypto_need();
    EVP_PKEY *pkey = (EVP_PKEY *)key;
    size_t length = 0;
    switch (what) {
    case CCRYPTO_RSA_PRIVATE_PEM:
    case CCRYPTO_RSA_PUBLIC_PEM: {
        // The private PEM in memory that is cleared when freed.
        BIO *bio = BIO_new(what == CCRYPTO_RSA_PRIVATE_PEM ? BIO_s_secmem() : BIO_s_mem());
        if (bio == NULL) break;
        int written = what == CCRYPTO_RSA_PUBLIC_PEM
            ? PEM_write_bio_PUBKEY(bio, pkey)
            : PEM_write_bio_PrivateKey_traditional(bio, pkey, NULL, NULL, 0, NULL, NULL);
        length = ccrypto_drain(bio, written, what == CCRYPTO_RSA_PUBLIC_PEM, capacity, output);
        BIO_free(bio);
        break;
    }
    case CCRYPTO_RSA_MODULUS: length = ccrypto_number(pkey, OSSL_PKEY_PARAM_RSA_N, capacity, output); break;
    case CCRYPTO_RSA_PUBLIC_EXPONENT: length = ccrypto_number(pkey, OSSL_PKEY_PARAM_RSA_E, capacity, output); break;
    default: break;
    }
    ERR_clear_error();
    return length;
}
