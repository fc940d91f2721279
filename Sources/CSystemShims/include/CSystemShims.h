#ifndef CSYSTEM_SHIMS_H
#define CSYSTEM_SHIMS_H

// The system calls the Swift targets make, behind parameters whose bounds Swift's importer sees: with the
// `SafeInteropWrappers` feature every `(length, pointer)` pair below is called from Swift with a `Span<UInt8>` or an
// `inout MutableSpan<UInt8>` (the length dropped), so no Swift file outside the sandbox, the C targets and the
// crypto backend holds unsafe code. Implemented in system.c; no state anywhere.
//
// Conventions: a descriptor, a length or 0 on success, `-errno` on failure (no caller reads `errno`). Paths and
// names are bytes, copied into a NUL-terminated buffer: one holding a NUL is refused with `-EINVAL`, one of
// `PATH_MAX` bytes or more with `-ENAMETOOLONG` (as the kernel refuses it). Reads and writes retry `EINTR`.

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#if defined(__has_feature) && __has_feature(bounds_safety_attributes)  // Swift with SafeInteropWrappers
#define CSYSTEM_COUNTED_BY(n) __attribute__((__counted_by__(n)))
#define CSYSTEM_NOESCAPE __attribute__((noescape))
#else
#define CSYSTEM_COUNTED_BY(n)
#define CSYSTEM_NOESCAPE
#endif

/// Bytes in, for Swift a `Span<UInt8>`.
#define CSYSTEM_IN(n) const unsigned char *CSYSTEM_COUNTED_BY(n) CSYSTEM_NOESCAPE
/// Bytes out, for Swift an `inout MutableSpan<UInt8>`.
#define CSYSTEM_OUT(n) unsigned char *CSYSTEM_COUNTED_BY(n) CSYSTEM_NOESCAPE

/// What `stat(2)` tells about a file: `error` 0 and the fields, or `error` an errno value and the fields 0.
typedef struct csystem_file_status {
    int32_t error;
    uint32_t mode;
    uint32_t group;
    int64_t size;
} csystem_file_status;

/// `open(2)`: a descriptor, or `-errno`.
int csystem_open(size_t path_length, CSYSTEM_IN(path_length) path, int flags, uint32_t mode);

/// `openat(2)` of `name` beneath the directory descriptor `directory`: a descriptor, or `-errno`.
int csystem_openat(int directory, size_t name_length, CSYSTEM_IN(name_length) name, int flags);

/// `readlinkat(2)`: the target's length (as much of it copied as `capacity` holds), or `-errno`.
ssize_t csystem_readlinkat(
    int directory, size_t name_length, CSYSTEM_IN(name_length) name, size_t capacity, CSYSTEM_OUT(capacity) target);

/// `read(2)`: the bytes read (0 at the end), or `-errno`.
ssize_t csystem_read(int descriptor, size_t capacity, CSYSTEM_OUT(capacity) buffer);

/// Writes all `length` bytes with as many `write(2)`s as it takes: 0, or the `-errno` of the first that failed.
int csystem_write_all(int descriptor, size_t length, CSYSTEM_IN(length) bytes);

/// `stat(2)` (following symlinks).
csystem_file_status csystem_stat(size_t path_length, CSYSTEM_IN(path_length) path);

/// `fstat(2)`.
csystem_file_status csystem_fstat(int descriptor);

/// `access(2)`: 0, or `-errno`.
int csystem_access(size_t path_length, CSYSTEM_IN(path_length) path, int mode);

/// `unlink(2)`: 0, or `-errno`.
int csystem_unlink(size_t path_length, CSYSTEM_IN(path_length) path);

/// The working directory (`getcwd`, any length): its length, copied only when it is at most `capacity` (call again
/// with a larger buffer otherwise), or `-errno`.
ssize_t csystem_working_directory(size_t capacity, CSYSTEM_OUT(capacity) buffer);

/// The environment variable `name` (`getenv`): its value's length, copied only when it is at most `capacity`, or -1
/// when it is not set (or `name` cannot name one).
ssize_t csystem_environment(size_t name_length, CSYSTEM_IN(name_length) name, size_t capacity,
                            CSYSTEM_OUT(capacity) value);

/// The names in the directory open as `descriptor` (from its start, in `readdir` order, `.` and `..` included), each
/// followed by a NUL: their total length, copied only when it is at most `capacity`, or `-errno`. The descriptor
/// stays open (a duplicate is read).
ssize_t csystem_list_directory(int descriptor, size_t capacity, CSYSTEM_OUT(capacity) names);

/// `strerror(code)`'s text: its length, as much of it copied as `capacity` holds.
size_t csystem_error_text(int code, size_t capacity, CSYSTEM_OUT(capacity) text);

/// The name of group `group` (`getgrgid_r`): its length, copied only when it is at most `capacity`, or -1 when the
/// group is unknown.
ssize_t csystem_group_name(uint32_t group, size_t capacity, CSYSTEM_OUT(capacity) name);

/// Whether `inet_pton(family, text)` reads an address: 1, else 0 (also for text holding a NUL).
int csystem_parses_address(int family, size_t length, CSYSTEM_IN(length) text);

/// `%.14g` of `value` (Lua's LUAI_NUMFFORMAT): snprintf's result, the length it needed.
int csystem_format_g14(double value, size_t capacity, CSYSTEM_OUT(capacity) text);

/// `memchr(3)`: the index of the first `byte` in `bytes`, or `length` when there is none (the line readers' search
/// for the next newline).
size_t csystem_find_byte(size_t length, CSYSTEM_IN(length) bytes, unsigned char byte);

/// Keeps up to `bytes` of freed memory in the process's heap (glibc's `M_TRIM_THRESHOLD`, and `M_MMAP_THRESHOLD`
/// at a quarter of it): a batch frees and allocates its chunk-sized buffers over and over, and the default
/// thresholds return that memory to the kernel and fault it back in for every chunk. Nothing elsewhere.
void csystem_keep_freed_memory(size_t bytes);

/// The processors this process may run on: those of its affinity mask (`sched_getaffinity`, what `taskset`, a
/// cpuset or a container's CPU list leave it; `nproc`'s figure), else the online ones; at least 1.
long csystem_usable_processors(void);

/// `CLOCK_MONOTONIC` in seconds.
double csystem_monotonic_seconds(void);

/// The process's peak resident set (`getrusage`'s `ru_maxrss`), in KiB.
long csystem_peak_resident_kib(void);

#endif
