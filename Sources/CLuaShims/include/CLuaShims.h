#ifndef CLUA_SHIMS_H
#define CLUA_SHIMS_H

// The sandbox's C half (sandbox.c, arena.c, libraries.c): the counting allocator (an arena per state), the
// instruction hook, the deadline timer and signal, the guarded entry into Lua and the trampoline through which Lua
// calls Swift. Only LuaSandbox imports this.
//
// Process-wide state: the first `clua_sandbox_new` installs a handler for the real-time signal SIGRTMIN+7 (once,
// for the whole process), and each guarded call arms a per-thread POSIX timer that sends that signal to the
// calling thread only, unblocking it on that thread for the duration of the call. A host program must not use
// SIGRTMIN+7 for anything else.

#include <stddef.h>

struct lua_State;

/// One sandboxed Lua state with its limits (opaque; see sandbox.c).
typedef struct clua_sandbox clua_sandbox;

/// The limit that ended a run (`clua_sandbox_limit`).
#define CLUA_LIMIT_NONE 0
#define CLUA_LIMIT_MEMORY 1
#define CLUA_LIMIT_INSTRUCTIONS 2
#define CLUA_LIMIT_DEADLINE 3

/// Status of a guarded call that a limit ended; the state must not be used again.
#define CLUA_ESCAPED 100
/// A host function's return code asking the trampoline to raise the message set by `clua_host_error`.
#define CLUA_HOST_ERROR (-1)
/// Host results the trampoline can push: at most this many per call.
#define CLUA_MAX_RESULTS 4

/// The Swift side of every host call: returns the number of results stored, or `CLUA_HOST_ERROR`. Never raises.
typedef int (*clua_host_function)(void *context, struct lua_State *L, int function_id);

/// What `clua_run_chunk` runs: a chunk called with the trusted table and string arguments. The source is text,
/// or with `precompiled` set, bytecode (only ever the embedder's own, never a user's).
typedef struct clua_chunk_call {
    const char *source;
    size_t source_length;
    int precompiled;
    const char *chunk_name;
    const char *const *host_names;
    int host_count;
    const char *const *arguments;
    const size_t *argument_lengths;
    int argument_count;
} clua_chunk_call;

/// Creates a sandbox with the counting allocator and the count hook. NULL when the state cannot be created.
clua_sandbox *clua_sandbox_new(size_t memory_limit, long long instruction_limit);
/// Closes the state if that has not happened (see `clua_sandbox_close`) and frees it all.
void clua_sandbox_free(clua_sandbox *sb, long long minimum_close_milliseconds);
/// Closes the state now: the remaining `__gc` finalizers run under what is left of the last deadline, but at least
/// `minimum_milliseconds` from now. `LUA_OK`, or `CLUA_ESCAPED` when a limit ended the finalizers.
int clua_sandbox_close(clua_sandbox *sb, long long minimum_milliseconds);

struct lua_State *clua_sandbox_lua(const clua_sandbox *sb);
/// 1 when small blocks come from the arena's size classes; 0 under AddressSanitizer, where every block is a
/// malloc of its own (see arena.c).
int clua_pools_small_blocks(void);
size_t clua_sandbox_memory_peak(const clua_sandbox *sb);
long long clua_sandbox_instructions(const clua_sandbox *sb);
int clua_sandbox_limit(const clua_sandbox *sb);
/// Whether the wall-clock deadline has passed.
int clua_sandbox_deadline_passed(const clua_sandbox *sb);

void clua_set_host(clua_sandbox *sb, clua_host_function host, void *context);
/// Sets the wall-clock deadline `milliseconds` from now.
void clua_set_deadline(clua_sandbox *sb, long long milliseconds);

/// Opens the safe libraries (guarded). Returns a `lua_pcall` status or `CLUA_ESCAPED`.
int clua_open_libraries(clua_sandbox *sb);
/// Loads `call->source` as a text chunk and calls it (guarded); the results stay on the stack on success.
int clua_run_chunk(clua_sandbox *sb, clua_chunk_call *call);

/// Stores a string result for the running host call (copied). 0, or -1 when out of memory or slots.
int clua_result_string(clua_sandbox *sb, const void *bytes, size_t length);
/// Stores a nil, boolean or integer result (`type` is a `LUA_T*` constant).
void clua_result_simple(clua_sandbox *sb, int type, int boolean, long long integer);
/// How many results the running host call has stored.
int clua_result_count(const clua_sandbox *sb);
/// Sets the message the trampoline raises after a host function returns `CLUA_HOST_ERROR`.
void clua_host_error(clua_sandbox *sb, const void *bytes, size_t length);

#endif
