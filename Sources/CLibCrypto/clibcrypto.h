#ifndef CLIBCRYPTO_H
#define CLIBCRYPTO_H

// The system OpenSSL's libcrypto (Debian libssl-dev), for the CCrypto target only: no Swift module imports it.
#include <openssl/evp.h>

#endif
