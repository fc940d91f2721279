// Fills libcrypto.h's table: opens the library the headers describe and looks each function up by its own name.

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

static void ccrypto_open(void) {
    void *library = dlopen(CCRYPTO_LIBRARY, RTLD_NOW | RTLD_LOCAL);
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
