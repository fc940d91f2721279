#ifndef CLUA_SHIM_H
#define CLUA_SHIM_H

// The system Lua 5.4 (Debian liblua5.4-dev), plus what Swift cannot express itself: Lua's function-like macros,
// the sandbox's allocator, hook and deadline signal, and the trampoline through which Lua calls Swift.
//
// The rules these helpers keep:
// - No Lua error is ever raised in a Swift frame. Swift host functions return a code; the C trampoline raises.
// - Lua is entered only through `clua_guarded_call`, which also owns the escape: when a limit is hit (memory,
//   instructions, or the wall-clock deadline, which a timer signal enforces even inside one long C library call
//   such as a pathological `string.find`, and inside `__gc` finalizers that run with hooks off), control jumps
//   straight back to the guard, past any `pcall` in the config. The state is then abandoned: every block it
//   allocated is on the sandbox's list and is freed without running any more Lua.
// - A jump never crosses a Swift frame (`in_host`) nor leaves libc holding a lock (`in_libc`); such a deadline is
//   kept pending and taken at the next safe point.

#include <errno.h>
#include <lauxlib.h>
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
#include <unistd.h>

enum {
    CLUA_LIMIT_NONE = 0,
    CLUA_LIMIT_MEMORY = 1,
    CLUA_LIMIT_INSTRUCTIONS = 2,
    CLUA_LIMIT_DEADLINE = 3,
};

/// Status returned by `clua_guarded_call` when a limit ended the run; the state must not be used again.
#define CLUA_ESCAPED 100
/// A host function's return code asking the trampoline to raise `error_message` as a Lua error.
#define CLUA_HOST_ERROR (-1)
/// Host results the trampoline can push: at most this many per call.
#define CLUA_MAX_RESULTS 4
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

typedef int (*clua_host_function)(void *context, lua_State *L, int function_id);

typedef struct clua_sandbox {
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
} clua_sandbox;

static _Thread_local clua_sandbox *clua_current = NULL;

static inline clua_sandbox *clua_sandbox_of(lua_State *L) { return *(clua_sandbox **)lua_getextraspace(L); }

static inline int clua_deadline_passed(const clua_sandbox *sb) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > sb->deadline.tv_sec || (now.tv_sec == sb->deadline.tv_sec && now.tv_nsec >= sb->deadline.tv_nsec);
}

/// Leaves Lua for the guard when it is safe to; returns otherwise (the caller then fails normally or waits).
static inline void clua_escape(clua_sandbox *sb, int limit) {
    if (sb->limit == CLUA_LIMIT_NONE) sb->limit = limit;
    if (sb->armed && !sb->in_host && sb->in_libc == 0) {
        sb->armed = 0;
        siglongjmp(sb->escape, 1);
    }
    sb->pending = 1;
}

static inline void clua_take_pending(clua_sandbox *sb) {
    if (sb->pending && sb->armed && !sb->in_host && sb->in_libc == 0) clua_escape(sb, CLUA_LIMIT_DEADLINE);
}

static inline void clua_unlink(clua_block *block) {
    block->prev->next = block->next;
    block->next->prev = block->prev;
}

static inline void clua_link(clua_sandbox *sb, clua_block *block) {
    block->next = sb->blocks.next;
    block->prev = &sb->blocks;
    sb->blocks.next->prev = block;
    sb->blocks.next = block;
}

/// The `lua_Alloc` of every sandbox: counts bytes against `memory_limit` and keeps each block on the list.
static void *clua_allocate(void *ud, void *ptr, size_t osize, size_t nsize) {
    (void)osize;
    clua_sandbox *sb = (clua_sandbox *)ud;
    clua_block *block = ptr ? ((clua_block *)ptr) - 1 : NULL;
    size_t old_size = block ? block->size : 0;
    if (nsize == 0) {
        if (block) {
            sb->in_libc++;
            clua_unlink(block);
            sb->memory_used -= old_size;
            free(block);
            sb->in_libc--;
            clua_take_pending(sb);
        }
        return NULL;
    }
    if (nsize > old_size && nsize - old_size > sb->memory_limit - sb->memory_used) {
        if (sb->armed && !sb->in_host && sb->in_libc == 0) clua_escape(sb, CLUA_LIMIT_MEMORY);
        if (sb->limit == CLUA_LIMIT_NONE) sb->limit = CLUA_LIMIT_MEMORY;
        return NULL;
    }
    if (nsize > SIZE_MAX - sizeof(clua_block)) return NULL;
    sb->in_libc++;
    if (block) clua_unlink(block);
    clua_block *fresh = (clua_block *)realloc(block, sizeof(clua_block) + nsize);
    if (!fresh) {
        if (block) clua_link(sb, block);
        sb->in_libc--;
        return NULL;
    }
    fresh->size = nsize;
    clua_link(sb, fresh);
    sb->memory_used = sb->memory_used - old_size + nsize;
    if (sb->memory_used > sb->memory_peak) sb->memory_peak = sb->memory_used;
    sb->in_libc--;
    clua_take_pending(sb);
    return fresh + 1;
}

/// The count hook: the instruction budget and the deadline, checked every `CLUA_HOOK_INTERVAL` instructions.
static void clua_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    clua_sandbox *sb = clua_sandbox_of(L);
    sb->instructions_used += CLUA_HOOK_INTERVAL;
    int limit = sb->limit;
    if (limit == CLUA_LIMIT_NONE) {
        if (sb->instructions_used > sb->instruction_limit) limit = CLUA_LIMIT_INSTRUCTIONS;
        else if (sb->pending || clua_deadline_passed(sb)) limit = CLUA_LIMIT_DEADLINE;
    }
    if (limit != CLUA_LIMIT_NONE) {
        clua_escape(sb, limit);
        luaL_error(L, "sandbox limit reached");
    }
}

static void clua_on_deadline_signal(int signal_number, siginfo_t *info, void *ucontext) {
    (void)signal_number;
    (void)info;
    (void)ucontext;
    clua_sandbox *sb = clua_current;
    if (!sb || !sb->armed) return;
    int saved_errno = errno;
    clua_escape(sb, CLUA_LIMIT_DEADLINE);
    errno = saved_errno;
}

static inline int clua_deadline_signal(void) { return SIGRTMIN + 7; }

static pthread_once_t clua_signal_once = PTHREAD_ONCE_INIT;

static void clua_install_signal_handler(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = clua_on_deadline_signal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(clua_deadline_signal(), &action, NULL);
}

/// Creates a sandbox and its `lua_State` with the counting allocator, the count hook and no panic exits.
/// Returns NULL when the state cannot be created.
static inline clua_sandbox *clua_sandbox_new(size_t memory_limit, long long instruction_limit) {
    pthread_once(&clua_signal_once, clua_install_signal_handler);
    clua_sandbox *sb = (clua_sandbox *)calloc(1, sizeof(clua_sandbox));
    if (!sb) return NULL;
    sb->blocks.next = &sb->blocks;
    sb->blocks.prev = &sb->blocks;
    sb->memory_limit = memory_limit;
    sb->instruction_limit = instruction_limit;
    sb->L = lua_newstate(clua_allocate, sb);
    if (!sb->L) {
        free(sb);
        return NULL;
    }
    *(clua_sandbox **)lua_getextraspace(sb->L) = sb;
    lua_sethook(sb->L, clua_count_hook, LUA_MASKCOUNT, CLUA_HOOK_INTERVAL);
    return sb;
}

static inline void clua_stop_timer(clua_sandbox *sb) {
    if (sb->timer_created) {
        timer_delete(sb->timer);
        sb->timer_created = 0;
    }
}

/// Arms a per-thread timer that signals this thread at `deadline` and every 50 ms after it.
static inline int clua_start_timer(clua_sandbox *sb) {
    struct sigevent event;
    memset(&event, 0, sizeof event);
    event.sigev_notify = SIGEV_THREAD_ID;
    event.sigev_signo = clua_deadline_signal();
    event._sigev_un._tid = (pid_t)syscall(SYS_gettid);
    if (timer_create(CLOCK_MONOTONIC, &event, &sb->timer) != 0) return -1;
    sb->timer_created = 1;
    struct itimerspec when;
    memset(&when, 0, sizeof when);
    when.it_value = sb->deadline;
    when.it_interval.tv_nsec = 50 * 1000 * 1000;
    if (timer_settime(sb->timer, TIMER_ABSTIME, &when, NULL) != 0) {
        clua_stop_timer(sb);
        return -1;
    }
    return 0;
}

/// Sets the wall-clock deadline `milliseconds` from now.
static inline void clua_set_deadline(clua_sandbox *sb, long long milliseconds) {
    clock_gettime(CLOCK_MONOTONIC, &sb->deadline);
    sb->deadline.tv_sec += (time_t)(milliseconds / 1000);
    sb->deadline.tv_nsec += (long)(milliseconds % 1000) * 1000000L;
    if (sb->deadline.tv_nsec >= 1000000000L) {
        sb->deadline.tv_sec += 1;
        sb->deadline.tv_nsec -= 1000000000L;
    }
}

/// Turns any error object into a message without running metamethods: strings and numbers as they are, anything
/// else as "(error object is a X value)", as the standalone `lua` does.
static int clua_message_handler(lua_State *L) {
    int type = lua_type(L, 1);
    if (type == LUA_TSTRING) return 1;
    if (type == LUA_TNUMBER) {
        lua_pushvalue(L, 1);
        lua_tolstring(L, -1, NULL);
        return 1;
    }
    lua_pushfstring(L, "(error object is a %s value)", lua_typename(L, type));
    return 1;
}

/// Unblocks the deadline signal on this thread (libdispatch and Swift concurrency threads block signals), saving
/// the previous mask for `clua_restore_signals`.
static inline void clua_unblock_signal(sigset_t *previous) {
    sigset_t deadline;
    sigemptyset(&deadline);
    sigaddset(&deadline, clua_deadline_signal());
    pthread_sigmask(SIG_UNBLOCK, &deadline, previous);
}

static inline void clua_restore_signals(const sigset_t *previous) { pthread_sigmask(SIG_SETMASK, previous, NULL); }

/// What `clua_enter_guard` saved, for `clua_leave_guard`.
typedef struct clua_guard {
    clua_sandbox *previous;
    sigset_t signals;
} clua_guard;

/// Arms the deadline timer for this thread and makes the sandbox the one the signal handler sees. Returns 0, or
/// -1 when the timer cannot be created (nothing is then armed).
static inline int clua_enter_guard(clua_sandbox *sb, clua_guard *guard) {
    if (clua_start_timer(sb) != 0) return -1;
    guard->previous = clua_current;
    clua_current = sb;
    clua_unblock_signal(&guard->signals);
    sb->pending = 0;
    sb->in_host = 0;
    sb->in_libc = 0;
    return 0;
}

/// Undoes `clua_enter_guard`, after a normal return or an escape.
static inline void clua_leave_guard(clua_sandbox *sb, clua_guard *guard) {
    sb->armed = 0;
    clua_stop_timer(sb);
    clua_restore_signals(&guard->signals);
    clua_current = guard->previous;
}

/// Runs `function(userdata)` in protected mode under the limits and the deadline. Returns a `lua_pcall` status,
/// or `CLUA_ESCAPED` when a limit ended the run (see `limit`); the results stay on the stack on success.
__attribute__((noinline)) static int clua_guarded_call(clua_sandbox *sb, lua_CFunction function, void *userdata) {
    lua_State *L = sb->L;
    if (sb->dead || sb->closed) return CLUA_ESCAPED;
    if (clua_deadline_passed(sb)) {
        sb->limit = CLUA_LIMIT_DEADLINE;
        return CLUA_ESCAPED;
    }
    clua_guard guard;
    if (clua_enter_guard(sb, &guard) != 0) return LUA_ERRERR;
    int status = LUA_OK;
    if (sigsetjmp(sb->escape, 1) == 0) {
        lua_settop(L, 0);
        lua_pushcfunction(L, clua_message_handler);
        lua_pushcfunction(L, function);
        lua_pushlightuserdata(L, userdata);
        sb->armed = 1;
        status = lua_pcall(L, 1, LUA_MULTRET, -3);
        sb->armed = 0;
        lua_remove(L, 1);
    } else {
        sb->dead = 1;
        status = CLUA_ESCAPED;
    }
    clua_leave_guard(sb, &guard);
    if (status != CLUA_ESCAPED && sb->limit != CLUA_LIMIT_NONE) {
        sb->dead = 1;
        status = CLUA_ESCAPED;
    }
    return status;
}

/// Closes the state, running the remaining `__gc` finalizers under a deadline `milliseconds` from now. Returns
/// `LUA_OK`, or `CLUA_ESCAPED` when a limit ended the finalizers (the rest of the state is then freed directly).
__attribute__((noinline)) static int clua_sandbox_close(clua_sandbox *sb, long long milliseconds) {
    if (sb->dead) return CLUA_ESCAPED;
    if (sb->closed) return LUA_OK;
    sb->closed = 1;
    int status = LUA_OK;
    clua_set_deadline(sb, milliseconds);
    sb->limit = CLUA_LIMIT_NONE;
    clua_guard guard;
    if (clua_enter_guard(sb, &guard) != 0) {
        sb->dead = 1;
        return CLUA_ESCAPED;
    }
    if (sigsetjmp(sb->escape, 1) == 0) {
        sb->armed = 1;
        lua_close(sb->L);
    } else {
        sb->dead = 1;
        status = CLUA_ESCAPED;
    }
    clua_leave_guard(sb, &guard);
    return status;
}

/// Frees everything: closes the state if that has not happened (see `clua_sandbox_close`), then frees whatever
/// an abandoned state still holds, block by block.
static void clua_sandbox_free(clua_sandbox *sb, long long close_milliseconds) {
    if (!sb) return;
    if (!sb->dead && !sb->closed) clua_sandbox_close(sb, close_milliseconds);
    clua_block *block = sb->blocks.next;
    while (block != &sb->blocks) {
        clua_block *next = block->next;
        free(block);
        block = next;
    }
    for (int i = 0; i < sb->result_count; i++) free(sb->results[i].bytes);
    free(sb->error_message);
    free(sb);
}

/// Calls the Swift host function named by upvalue 1; raises its error, or pushes its results, here in C.
static int clua_trampoline(lua_State *L) {
    clua_sandbox *sb = clua_sandbox_of(L);
    int function_id = (int)lua_tointeger(L, lua_upvalueindex(1));
    sb->result_count = 0;
    sb->in_host = 1;
    int count = sb->host(sb->context, L, function_id);
    sb->in_host = 0;
    clua_take_pending(sb);
    if (count == CLUA_HOST_ERROR) {
        lua_pushlstring(L, sb->error_message ? sb->error_message : "host function failed", sb->error_message ? sb->error_length : 20);
        free(sb->error_message);
        sb->error_message = NULL;
        luaL_where(L, 1);
        lua_insert(L, -2);
        lua_concat(L, 2);
        return lua_error(L);
    }
    luaL_checkstack(L, CLUA_MAX_RESULTS, "host results");
    for (int i = 0; i < sb->result_count; i++) {
        clua_result *result = &sb->results[i];
        switch (result->type) {
        case LUA_TBOOLEAN: lua_pushboolean(L, result->boolean); break;
        case LUA_TNUMBER: lua_pushinteger(L, result->integer); break;
        case LUA_TSTRING:
            lua_pushlstring(L, result->bytes ? result->bytes : "", result->length);
            free(result->bytes);
            result->bytes = NULL;
            break;
        default: lua_pushnil(L); break;
        }
    }
    int pushed = sb->result_count;
    sb->result_count = 0;
    return pushed;
}

/// Copies `bytes` as the next host result (a string). Returns 0, or -1 when out of memory or slots.
static inline int clua_result_string(clua_sandbox *sb, const void *bytes, size_t length) {
    if (sb->result_count >= CLUA_MAX_RESULTS) return -1;
    char *copy = (char *)malloc(length ? length : 1);
    if (!copy) return -1;
    if (length) memcpy(copy, bytes, length);
    clua_result *result = &sb->results[sb->result_count++];
    result->type = LUA_TSTRING;
    result->bytes = copy;
    result->length = length;
    return 0;
}

static inline void clua_result_simple(clua_sandbox *sb, int type, int boolean, lua_Integer integer) {
    if (sb->result_count >= CLUA_MAX_RESULTS) return;
    clua_result *result = &sb->results[sb->result_count++];
    result->type = type;
    result->boolean = boolean;
    result->integer = integer;
    result->bytes = NULL;
    result->length = 0;
}

/// Sets the message the trampoline raises after a host function returns `CLUA_HOST_ERROR`.
static inline void clua_host_error(clua_sandbox *sb, const void *bytes, size_t length) {
    free(sb->error_message);
    sb->error_message = (char *)malloc(length ? length : 1);
    sb->error_length = sb->error_message ? length : 0;
    if (sb->error_message && length) memcpy(sb->error_message, bytes, length);
}

/// `os.date` and `os.time` take glibc's time-zone lock: run them marked as libc so no jump leaves it held.
static int clua_locked_os_call(lua_State *L) {
    clua_sandbox *sb = clua_sandbox_of(L);
    int arguments = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    sb->in_libc++;
    int status = lua_pcall(L, arguments, LUA_MULTRET, 0);
    sb->in_libc--;
    clua_take_pending(sb);
    if (status != LUA_OK) return lua_error(L);
    return lua_gettop(L);
}

/// Opens the safe libraries and removes what a config must not reach: `dofile`, `loadfile`, `require`,
/// `collectgarbage`, `print`, `string.dump`, and every `os` function but `getenv`, `time`, `date`, `clock`.
/// `load` and `debug.getinfo` are kept in the registry for the trusted prelude only (`clua_push_trusted`).
static int clua_open_safe_libraries(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_settop(L, 0);

    lua_createtable(L, 0, 4); /* 1: trusted */
    lua_getglobal(L, "load");
    lua_setfield(L, 1, "load");
    luaL_requiref(L, LUA_DBLIBNAME, luaopen_debug, 0);
    lua_getfield(L, -1, "getinfo");
    lua_setfield(L, 1, "getinfo");
    lua_pop(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, "clua.trusted");

    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0); /* 1: the full os library, not global */
    lua_createtable(L, 0, 4);                       /* 2: the read-only os */
    lua_getfield(L, 1, "getenv");
    lua_setfield(L, 2, "getenv");
    lua_getfield(L, 1, "clock");
    lua_setfield(L, 2, "clock");
    lua_getfield(L, 1, "date");
    lua_pushcclosure(L, clua_locked_os_call, 1);
    lua_setfield(L, 2, "date");
    lua_getfield(L, 1, "time");
    lua_pushcclosure(L, clua_locked_os_call, 1);
    lua_setfield(L, 2, "time");
    lua_setglobal(L, "os");
    lua_pop(L, 1);

    /* package.loaded would still reach the os and debug libraries: drop the registry's module table. */
    lua_pushnil(L);
    lua_setfield(L, LUA_REGISTRYINDEX, LUA_LOADED_TABLE);

    static const char *const removed[] = {"dofile", "loadfile", "require", "collectgarbage", "print", "load", NULL};
    for (const char *const *name = removed; *name; name++) {
        lua_pushnil(L);
        lua_setglobal(L, *name);
    }
    lua_getglobal(L, "string");
    lua_pushnil(L);
    lua_setfield(L, -2, "dump");
    lua_pop(L, 1);
    return 0;
}

/// Pushes a table of the trusted capabilities (`load`, `getinfo`) and one trampoline per host function id.
static inline void clua_push_trusted(lua_State *L, const char *const *host_names, int host_count) {
    lua_getfield(L, LUA_REGISTRYINDEX, "clua.trusted");
    for (int i = 0; i < host_count; i++) {
        lua_pushinteger(L, i);
        lua_pushcclosure(L, clua_trampoline, 1);
        lua_setfield(L, -2, host_names[i]);
    }
}

/// What `clua_run_chunk` runs: a text chunk (mode "t" only) called with the trusted table and string arguments.
typedef struct clua_chunk_call {
    const char *source;
    size_t source_length;
    const char *chunk_name;
    const char *const *host_names;
    int host_count;
    const char *const *arguments;
    const size_t *argument_lengths;
    int argument_count;
} clua_chunk_call;

static int clua_run_chunk(lua_State *L) {
    clua_chunk_call *call = (clua_chunk_call *)lua_touserdata(L, 1);
    lua_settop(L, 0);
    if (luaL_loadbufferx(L, call->source, call->source_length, call->chunk_name, "t") != LUA_OK) return lua_error(L);
    clua_push_trusted(L, call->host_names, call->host_count);
    luaL_checkstack(L, call->argument_count + 1, "too many arguments");
    for (int i = 0; i < call->argument_count; i++) lua_pushlstring(L, call->arguments[i], call->argument_lengths[i]);
    lua_call(L, 1 + call->argument_count, LUA_MULTRET);
    return lua_gettop(L);
}

/// Wraps the macros Swift does not import.
static inline void clua_pop(lua_State *L, int n) { lua_settop(L, -(n)-1); }
static inline const char *clua_tostring_raw(lua_State *L, int index, size_t *length) {
    return lua_type(L, index) == LUA_TSTRING ? lua_tolstring(L, index, length) : NULL;
}
static inline void clua_set_host(clua_sandbox *sb, clua_host_function host, void *context) {
    sb->host = host;
    sb->context = context;
}

#endif
