#ifndef CLUA_SHIMS_INTERNAL_H
#define CLUA_SHIMS_INTERNAL_H

// What sandbox.c and libraries.c share: the sandbox's layout and the guarded entry. Not part of the interface.

#define _GNU_SOURCE /* REG_RIP, dl_iterate_phdr */

#include "CLuaShims.h"

#include <errno.h>
#include <lauxlib.h>
#include <link.h>
#include <lua.h>
#include <lualib.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

_Static_assert(sizeof(lua_Integer) == sizeof(long long), "lua_Integer is long long");

/// How many VM instructions run between two hook calls.
#define CLUA_HOOK_INTERVAL 1000

/// The header of a large block (see arena.c), which keeps it on its arena's list.
typedef struct clua_block {
    struct clua_block *prev;
    struct clua_block *next;
} clua_block;

/// The header of a chunk that small blocks are cut from.
typedef struct clua_chunk {
    struct clua_chunk *next;
    size_t size;
} clua_chunk;

/// How many size classes of small blocks there are (16 bytes apart: up to 512 bytes).
#define CLUA_SMALL_CLASSES 32

/// Everything one state's heap holds: the chunks, the free small blocks by class, the large blocks.
typedef struct clua_arena {
    char *bump;
    char *bump_end;
    clua_chunk *chunks;
    size_t chunk_bytes;
    size_t chunk_limit;
    size_t next_chunk_size;
    void *free_lists[CLUA_SMALL_CLASSES + 1];
    clua_block large;
} clua_arena;

/// One value a host function hands back; strings are malloc'd by `clua_result_string` and freed once pushed.
typedef struct clua_result {
    int type;
    int boolean;
    lua_Integer integer;
    char *bytes;
    size_t length;
} clua_result;

struct clua_sandbox {
    lua_State *L;
    clua_arena arena;
    size_t memory_used;
    size_t memory_peak;
    size_t memory_limit;
    long long instructions_used;
    long long instruction_limit;
    struct timespec deadline;
    volatile sig_atomic_t armed;
    volatile sig_atomic_t in_host;
    volatile sig_atomic_t in_libc;
    volatile sig_atomic_t pending;
    volatile sig_atomic_t limit;
    /// A request over the memory limit answered NULL once, so that Lua collects its garbage and asks again
    /// (arena.c, `clua_over_limit`): whether that is pending, and the request.
    volatile sig_atomic_t refusal_pending;
    void *refused_block;
    size_t refused_osize, refused_nsize;
    int dead;
    int closed;
    /// Whether a metatable with `__gc` was ever set (libraries.c, `clua_setmetatable`): only then can closing the
    /// state run a finalizer.
    int finalizers_possible;
    timer_t timer;
    int timer_created;
    sigjmp_buf escape;
    clua_host_function host;
    void *context;
    clua_result results[CLUA_MAX_RESULTS];
    int result_count;
    char *error_message;
    size_t error_length;
};

static inline clua_sandbox *clua_sandbox_of(lua_State *L) { return *(clua_sandbox **)lua_getextraspace(L); }

/// Leaves Lua for the guard with `limit` when it is safe to; returns otherwise (see sandbox.c).
void clua_escape(clua_sandbox *sb, int limit);

/// The `lua_Alloc` of every sandbox (`ud` is the sandbox): counts bytes against `memory_limit` (see arena.c).
void *clua_allocate(void *ud, void *ptr, size_t osize, size_t nsize);
/// Prepares an empty arena whose chunks may hold at most about twice `memory_limit`.
void clua_arena_init(clua_arena *arena, size_t memory_limit);
/// Frees every chunk and large block at once (the state is closed or abandoned), leaving the arena empty.
void clua_arena_release(clua_arena *arena);

/// Takes a deadline that arrived inside a region that deferred it, if it is safe now (see sandbox.c).
void clua_take_pending(clua_sandbox *sb);

/// Runs `function(userdata)` in protected mode under the limits and the deadline (see sandbox.c).
int clua_guarded_call(clua_sandbox *sb, lua_CFunction function, void *userdata);

#endif
