// The system calls behind CSystemShims.h: each copies what it is given into C strings or fixed buffers, calls libc
// and copies the result into the caller's buffer, never writing past the length it was given.

#define _GNU_SOURCE

#include "CSystemShims.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/// Copies `length` bytes into `buffer` (of `PATH_MAX`) with a NUL after them: 0, `-EINVAL` for bytes holding a NUL,
/// `-ENAMETOOLONG` for `PATH_MAX` bytes or more (the kernel's own limit, NUL included).
static int c_path(size_t length, const unsigned char *bytes, char buffer[PATH_MAX]) {
    if (length >= PATH_MAX) return -ENAMETOOLONG;
    if (length > 0) {
        if (memchr(bytes, 0, length) != NULL) return -EINVAL;
        memcpy(buffer, bytes, length);
    }
    buffer[length] = 0;
    return 0;
}

/// Copies a C string's bytes (without its NUL) into `buffer` when they fit: the string's length.
static size_t copy_out(const char *text, size_t capacity, unsigned char *buffer) {
    size_t length = strlen(text);
    if (length <= capacity && length > 0) memcpy(buffer, text, length);
    return length;
}

int csystem_open(size_t path_length, const unsigned char *path, int flags, uint32_t mode) {
    char name[PATH_MAX];
    int status = c_path(path_length, path, name);
    if (status != 0) return status;
    int descriptor = open(name, flags, (mode_t)mode);
    return descriptor >= 0 ? descriptor : -errno;
}

int csystem_openat(int directory, size_t name_length, const unsigned char *name, int flags) {
    char c_name[PATH_MAX];
    int status = c_path(name_length, name, c_name);
    if (status != 0) return status;
    int descriptor = openat(directory, c_name, flags);
    return descriptor >= 0 ? descriptor : -errno;
}

ssize_t csystem_readlinkat(int directory, size_t name_length, const unsigned char *name, size_t capacity,
                           unsigned char *target) {
    char c_name[PATH_MAX];
    int status = c_path(name_length, name, c_name);
    if (status != 0) return status;
    ssize_t length = readlinkat(directory, c_name, (char *)target, capacity);
    return length >= 0 ? length : -errno;
}

ssize_t csystem_read(int descriptor, size_t capacity, unsigned char *buffer) {
    ssize_t count;
    do {
        count = read(descriptor, buffer, capacity);
    } while (count < 0 && errno == EINTR);
    return count >= 0 ? count : -errno;
}

size_t csystem_find_byte(size_t length, const unsigned char *bytes, unsigned char byte) {
    const unsigned char *found = length == 0 ? NULL : memchr(bytes, byte, length);
    return found == NULL ? length : (size_t)(found - bytes);
}

void csystem_keep_freed_memory(size_t bytes) {
#ifdef __GLIBC__
    int limit = bytes > INT_MAX ? INT_MAX : (int)bytes;
    mallopt(M_TRIM_THRESHOLD, limit);
    mallopt(M_MMAP_THRESHOLD, limit / 4);
#else
    (void)bytes;
#endif
}

int csystem_write_all(int descriptor, size_t length, const unsigned char *bytes) {
    size_t done = 0;
    while (done < length) {
        ssize_t written = write(descriptor, bytes + done, length - done);
        if (written < 0) {
            if (errno == EINTR) continue;
            return -errno;
        }
        done += (size_t)written;
    }
    return 0;
}

static csystem_file_status file_status(int result, const struct stat *info) {
    csystem_file_status status = {0, 0, 0, 0};
    if (result != 0) {
        status.error = errno;
        return status;
    }
    status.mode = (uint32_t)info->st_mode;
    status.group = (uint32_t)info->st_gid;
    status.size = (int64_t)info->st_size;
    return status;
}

csystem_file_status csystem_stat(size_t path_length, const unsigned char *path) {
    char name[PATH_MAX];
    int copied = c_path(path_length, path, name);
    if (copied != 0) return (csystem_file_status){-copied, 0, 0, 0};
    struct stat info;
    return file_status(stat(name, &info), &info);
}

csystem_file_status csystem_fstat(int descriptor) {
    struct stat info;
    return file_status(fstat(descriptor, &info), &info);
}

int csystem_access(size_t path_length, const unsigned char *path, int mode) {
    char name[PATH_MAX];
    int status = c_path(path_length, path, name);
    if (status != 0) return status;
    return access(name, mode) == 0 ? 0 : -errno;
}

int csystem_unlink(size_t path_length, const unsigned char *path) {
    char name[PATH_MAX];
    int status = c_path(path_length, path, name);
    if (status != 0) return status;
    return unlink(name) == 0 ? 0 : -errno;
}

ssize_t csystem_working_directory(size_t capacity, unsigned char *buffer) {
    char *path = getcwd(NULL, 0);
    if (path == NULL) return -errno;
    size_t length = copy_out(path, capacity, buffer);
    free(path);
    return (ssize_t)length;
}

ssize_t csystem_environment(size_t name_length, const unsigned char *name, size_t capacity, unsigned char *value) {
    char c_name[PATH_MAX];
    if (c_path(name_length, name, c_name) != 0) return -1;
    const char *found = getenv(c_name);
    return found == NULL ? -1 : (ssize_t)copy_out(found, capacity, value);
}

ssize_t csystem_list_directory(int descriptor, size_t capacity, unsigned char *names) {
    int duplicate = fcntl(descriptor, F_DUPFD_CLOEXEC, 0);
    if (duplicate < 0) return -errno;
    DIR *directory = fdopendir(duplicate);
    if (directory == NULL) {
        int code = errno;
        close(duplicate);
        return -code;
    }
    rewinddir(directory);  // the duplicate shares the descriptor's offset, which an earlier listing moved
    size_t total = 0;
    struct dirent *entry;
    while ((entry = readdir(directory)) != NULL) {
        size_t length = strlen(entry->d_name) + 1;
        if (total + length <= capacity) memcpy(names + total, entry->d_name, length);
        total += length;
    }
    closedir(directory);
    return (ssize_t)total;
}

size_t csystem_error_text(int code, size_t capacity, unsigned char *text) {
    char buffer[256];
    const char *message = strerror_r(code, buffer, sizeof buffer);  // GNU: a static text or `buffer`
    size_t length = strlen(message);
    if (capacity > 0) memcpy(text, message, length < capacity ? length : capacity);
    return length;
}

ssize_t csystem_group_name(uint32_t group, size_t capacity, unsigned char *name) {
    size_t size = 16384;
    for (;;) {
        char *buffer = malloc(size);
        if (buffer == NULL) return -1;
        struct group entry;
        struct group *found = NULL;
        int status = getgrgid_r((gid_t)group, &entry, buffer, size, &found);
        if (status == ERANGE && size < (1u << 24)) {
            free(buffer);
            size *= 2;
            continue;
        }
        ssize_t length = (status == 0 && found != NULL && found->gr_name != NULL)
            ? (ssize_t)copy_out(found->gr_name, capacity, name) : -1;
        free(buffer);
        return length;
    }
}

int csystem_parses_address(int family, size_t length, const unsigned char *text) {
    char address[64];
    if (length >= sizeof address || (length > 0 && memchr(text, 0, length) != NULL)) return 0;
    if (length > 0) memcpy(address, text, length);
    address[length] = 0;
    unsigned char parsed[16];
    return inet_pton(family, address, parsed) == 1 ? 1 : 0;
}

int csystem_format_g14(double value, size_t capacity, unsigned char *text) {
    return snprintf((char *)text, capacity, "%.14g", value);
}

double csystem_monotonic_seconds(void) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)now.tv_sec + (double)now.tv_nsec / 1e9;
}

long csystem_usable_processors(void) {
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) {
        int count = CPU_COUNT(&set);
        if (count > 0) return count;
    }
    long online = sysconf(_SC_NPROCESSORS_ONLN);
    return online > 0 ? online : 1;
}

long csystem_peak_resident_kib(void) {
    struct rusage usage;
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss;
}
