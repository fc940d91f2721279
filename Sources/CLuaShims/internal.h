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

/// Every allocation Lua makes carries this header, so an abandoned state can be freed block by block.
typedef struct clua_block {
    struct clua_block *prev;
    struct clua_block *next;
    size_t size;
    size_t reserved;
} clua_block;

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
    clua_block blocks;
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
    int dead;
    int closed;
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

/// Takes a deadline that arrived inside a region that deferred it, if it is safe now (see sandbox.c).
void clua_take_pending(clua_sandbox *sb);

/// Runs `function(userdata)` in protected mode under the limits and the deadline (see sandbox.c).
int clua_guarded_call(clua_sandbox *sb, lua_CFunction function, void *userdata);

#endif
