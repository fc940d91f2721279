// Fills libcrypto.h's table: opens the library the headers describe and looks each function up by its own name.

#define _GNU_SOURCE // RTLD_DEEPBIND

#define CCRYPTO_FILLING_TABLE
#include "libcrypto.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

#define CCRYPTO_STRING(x) #x
#define CCRYPTO_EXPANDED_STRING(x) CCRYPTO_STRING(x)
/// The library the headers describe: libcrypto.so.3 for OpenSSL 3.
#define CCRYPTO_LIBRARY "libcrypto.so." CCRYPTO_EXPANDED_STRING(OPENSSL_VERSION_MAJOR)

struct ccrypto_libcrypto_table ccrypto_libcrypto;
static pthread_once_t ccrypto_once = PTHREAD_ONCE_INIT;

/// Debian builds libcrypto with BIND_NOW, so opening it resolves its 4,200 symbol references at once; searched from
/// the process's global scope (this executable and its five libraries) first, they cost a sixth of a one-token `mint`.
/// RTLD_DEEPBIND searches libcrypto and its own dependencies first, which is where each of them is: 1.4 M fewer
/// instructions per process. AddressSanitizer's allocator interposes malloc from the global scope, and refuses
/// libraries opened that way, so a sanitized build opens libcrypto the ordinary way.
#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CCRYPTO_SANITIZED 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(CCRYPTO_SANITIZED)
#define CCRYPTO_OPEN_FLAGS (RTLD_NOW | RTLD_LOCAL)
#else
#define CCRYPTO_OPEN_FLAGS (RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND)
#endif

static void ccrypto_open(void) {
    void *library = dlopen(CCRYPTO_LIBRARY, CCRYPTO_OPEN_FLAGS);
    const char *missing = NULL;
#define CCRYPTO_RESOLVE(name)                                                                                        \
    if (library && !missing && !(ccrypto_libcrypto.name = (__typeof__(&name))dlsym(library, #name))) missing = #name;
    CCRYPTO_FUNCTIONS(CCRYPTO_RESOLVE)
    if (library && !missing) return;
    char message[512];
    int length = snprintf(message, sizeof message, "jitsi-jwt: cannot use %s: %s\n", CCRYPTO_LIBRARY,
                          library ? missing : dlerror());
    if (length > 0) {
        size_t count = (size_t)length < sizeof message ? (size_t)length : sizeof message - 1;
        ssize_t written = write(STDERR_FILENO, message, count);
        (void)written;
    }
    _exit(127);
}

void ccrypto_need(void) { pthread_once(&ccrypto_once, ccrypto_open); }
