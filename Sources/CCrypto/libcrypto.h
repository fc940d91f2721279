// libcrypto, opened on first use: the table of the functions CCrypto calls there, and the redirections that make
// every such call in crypto.c a call through it.
//
// libcrypto is not linked but opened (dlopen) by the first call that needs it: mapping and relocating it costs
// about 2.8M instructions, more than the rest of a `hosts` process's own work, and hosts, dump, audit and decode
// never sign, nor does an HMAC token. libcrypto.c looks each function up under its own name, with the type its
// header declares; crypto.c calls them through the table by their usual names (the redirections at the end),
// OpenSSL's function-like macros included, since they expand to functions listed here. When libcrypto cannot be
// opened the process stops as the dynamic loader would have stopped it at start-up: a message naming the library on
// stderr, exit status 127.
//
// Not in the table: SHA-2's low-level functions, OPENSSL_cleanse and CRYPTO_memcmp, which are linked from the same
// OpenSSL's static libcrypto.a (see Package.swift: seven archive members, the compression functions in OpenSSL's
// assembly with its CPU-feature detection, about 50 KB, no parser and no allocation). So HMAC and digests, every
// HS256/384/512 token, never open the library; RSA, PEM, ASN.1 and big numbers, all that parses input, stay in the
// shared libcrypto the system updates.
//
// libcrypto.c defines CCRYPTO_FILLING_TABLE before including this header, so that it sees the functions' own names.

#ifndef CCRYPTO_LIBCRYPTO_H
#define CCRYPTO_LIBCRYPTO_H

#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/opensslv.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>

/// Every function crypto.c calls in the shared libcrypto (the ones OpenSSL's macros expand to included).
#define CCRYPTO_FUNCTIONS(X) \
    X(ERR_clear_error) \
    X(EVP_sha256) \
    X(EVP_sha384) \
    X(EVP_sha512) \
    X(BIO_new) \
    X(BIO_new_mem_buf) \
    X(BIO_s_mem) \
    X(BIO_s_secmem) \
    X(BIO_ctrl) \
    X(BIO_free) \
    X(BN_new) \
    X(BN_CTX_new) \
    X(BN_value_one) \
    X(BN_mul) \
    X(BN_sub) \
    X(BN_div) \
    X(BN_mod_mul) \
    X(BN_cmp) \
    X(BN_is_zero) \
    X(BN_is_one) \
    X(BN_num_bits) \
    X(BN_bn2bin) \
    X(BN_free) \
    X(BN_clear_free) \
    X(BN_CTX_free) \
    X(EVP_PKEY_new) \
    X(EVP_PKEY_assign) \
    X(EVP_PKEY_Q_keygen) \
    X(EVP_PKEY_get_base_id) \
    X(EVP_PKEY_get_bits) \
    X(EVP_PKEY_get_size) \
    X(EVP_PKEY_get_bn_param) \
    X(EVP_PKEY_free) \
    X(RSA_free) \
    X(PEM_read_bio_PrivateKey) \
    X(PEM_read_bio_PUBKEY) \
    X(PEM_read_bio_RSAPublicKey) \
    X(PEM_write_bio_PUBKEY) \
    X(PEM_write_bio_PrivateKey_traditional) \
    X(EVP_MD_CTX_new) \
    X(EVP_MD_CTX_free) \
    X(EVP_PKEY_CTX_set_rsa_padding) \
    X(EVP_DigestSignInit) \
    X(EVP_DigestSign) \
    X(EVP_DigestVerifyInit) \
    X(EVP_DigestVerify)

#define CCRYPTO_FIELD(name) __typeof__(&name) name;
/// The functions, filled once by `ccrypto_need`.
struct ccrypto_libcrypto_table { CCRYPTO_FUNCTIONS(CCRYPTO_FIELD) };
extern struct ccrypto_libcrypto_table ccrypto_libcrypto;

/// Opens libcrypto on first use (once per process, thread-safe); stops the process when it cannot.
void ccrypto_need(void);

#ifndef CCRYPTO_FILLING_TABLE
// From here on every call of a libcrypto function is a call through the table.
#define ERR_clear_error (ccrypto_libcrypto.ERR_clear_error)
#define EVP_sha256 (ccrypto_libcrypto.EVP_sha256)
#define EVP_sha384 (ccrypto_libcrypto.EVP_sha384)
#define EVP_sha512 (ccrypto_libcrypto.EVP_sha512)
#define BIO_new (ccrypto_libcrypto.BIO_new)
#define BIO_new_mem_buf (ccrypto_libcrypto.BIO_new_mem_buf)
#define BIO_s_mem (ccrypto_libcrypto.BIO_s_mem)
#define BIO_s_secmem (ccrypto_libcrypto.BIO_s_secmem)
#define BIO_ctrl (ccrypto_libcrypto.BIO_ctrl)
#define BIO_free (ccrypto_libcrypto.BIO_free)
#define BN_new (ccrypto_libcrypto.BN_new)
#define BN_CTX_new (ccrypto_libcrypto.BN_CTX_new)
#define BN_value_one (ccrypto_libcrypto.BN_value_one)
#define BN_mul (ccrypto_libcrypto.BN_mul)
#define BN_sub (ccrypto_libcrypto.BN_sub)
#define BN_div (ccrypto_libcrypto.BN_div)
#define BN_mod_mul (ccrypto_libcrypto.BN_mod_mul)
#define BN_cmp (ccrypto_libcrypto.BN_cmp)
#define BN_is_zero (ccrypto_libcrypto.BN_is_zero)
#define BN_is_one (ccrypto_libcrypto.BN_is_one)
#define BN_num_bits (ccrypto_libcrypto.BN_num_bits)
#define BN_bn2bin (ccrypto_libcrypto.BN_bn2bin)
#define BN_free (ccrypto_libcrypto.BN_free)
#define BN_clear_free (ccrypto_libcrypto.BN_clear_free)
#define BN_CTX_free (ccrypto_libcrypto.BN_CTX_free)
#define EVP_PKEY_new (ccrypto_libcrypto.EVP_PKEY_new)
#define EVP_PKEY_assign (ccrypto_libcrypto.EVP_PKEY_assign)
#define EVP_PKEY_Q_keygen (ccrypto_libcrypto.EVP_PKEY_Q_keygen)
#define EVP_PKEY_get_base_id (ccrypto_libcrypto.EVP_PKEY_get_base_id)
#define EVP_PKEY_get_bits (ccrypto_libcrypto.EVP_PKEY_get_bits)
#define EVP_PKEY_get_size (ccrypto_libcrypto.EVP_PKEY_get_size)
#define EVP_PKEY_get_bn_param (ccrypto_libcrypto.EVP_PKEY_get_bn_param)
#define EVP_PKEY_free (ccrypto_libcrypto.EVP_PKEY_free)
#define RSA_free (ccrypto_libcrypto.RSA_free)
#define PEM_read_bio_PrivateKey (ccrypto_libcrypto.PEM_read_bio_PrivateKey)
#define PEM_read_bio_PUBKEY (ccrypto_libcrypto.PEM_read_bio_PUBKEY)
#define PEM_read_bio_RSAPublicKey (ccrypto_libcrypto.PEM_read_bio_RSAPublicKey)
#define PEM_write_bio_PUBKEY (ccrypto_libcrypto.PEM_write_bio_PUBKEY)
#define PEM_write_bio_PrivateKey_traditional (ccrypto_libcrypto.PEM_write_bio_PrivateKey_traditional)
#define EVP_MD_CTX_new (ccrypto_libcrypto.EVP_MD_CTX_new)
#define EVP_MD_CTX_free (ccrypto_libcrypto.EVP_MD_CTX_free)
#define EVP_PKEY_CTX_set_rsa_padding (ccrypto_libcrypto.EVP_PKEY_CTX_set_rsa_padding)
#define EVP_DigestSignInit (ccrypto_libcrypto.EVP_DigestSignInit)
#define EVP_DigestSign (ccrypto_libcrypto.EVP_DigestSign)
#define EVP_DigestVerifyInit (ccrypto_libcrypto.EVP_DigestVerifyInit)
#define EVP_DigestVerify (ccrypto_libcrypto.EVP_DigestVerify)
#endif

#endif
