// The sandbox's C half; see include/CLuaShims.h for the interface and the process-wide signal it uses.
//
// The rules these helpers keep:
// - No Lua error is ever raised in a Swift frame. Swift host functions return a code; the C trampoline raises.
// - Lua is entered only through `clua_guarded_call`, which also owns the escape: when a limit is hit (memory,
//   instructions, or the wall-clock deadline, which a timer signal enforces even inside one long C library call
//   such as a pathological `string.find`, and inside `__gc` finalizers that run with hooks off), control jumps
//   straight back to the guard, past any `pcall` in the config. The state is then abandoned: everything it
//   allocated is in the sandbox's arena (arena.c) and is freed at once without running any more Lua.
// - A jump never crosses a Swift frame (`in_host`) nor leaves libc holding a lock (`in_libc`); such a deadline is
//   kept pending and taken at the next safe point. No Lua code ever runs inside either region (no metamethod, no
//   finalizer), so a pending escape is always taken soon: `os.time` reads its table's fields before the region and
//   writes them back after it, and the collector is stopped inside the region. And the timer signal jumps only
//   when it interrupted liblua's own code (see `clua_interrupted_in_lua`), never libc or the vDSO.

#include "internal.h"

static _Thread_local clua_sandbox *clua_current = NULL;

static int clua_deadline_passed(const clua_sandbox *sb) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return now.tv_sec > sb->deadline.tv_sec || (now.tv_sec == sb->deadline.tv_sec && now.tv_nsec >= sb->deadline.tv_nsec);
}

/// Leaves Lua for the guard when it is safe to; returns otherwise (the caller then fails normally or waits).
void clua_escape(clua_sandbox *sb, int limit) {
    if (sb->limit == CLUA_LIMIT_NONE) sb->limit = limit;
    if (sb->armed && !sb->in_host && sb->in_libc == 0) {
        sb->armed = 0;
        siglongjmp(sb->escape, 1);
    }
    sb->pending = 1;
}

void clua_take_pending(clua_sandbox *sb) {
    if (sb->pending && sb->armed && !sb->in_host && sb->in_libc == 0) clua_escape(sb, CLUA_LIMIT_DEADLINE);
}

/// The count hook: the instruction budget and the deadline, checked every `CLUA_HOOK_INTERVAL` instructions.
static void clua_count_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    clua_sandbox *sb = clua_sandbox_of(L);
    sb->instructions_used += CLUA_HOOK_INTERVAL;
    int limit = sb->limit;
    if (limit == CLUA_LIMIT_NONE) {
        if (sb->refusal_pending) limit = CLUA_LIMIT_MEMORY;
        else if (sb->instructions_used > sb->instruction_limit) limit = CLUA_LIMIT_INSTRUCTIONS;
        else if (sb->pending || clua_deadline_passed(sb)) limit = CLUA_LIMIT_DEADLINE;
    }
    if (limit != CLUA_LIMIT_NONE) {
        clua_escape(sb, limit);
        luaL_error(L, "sandbox limit reached");
    }
}

/// The executable segment of liblua (where the VM and the libraries run), found once. A deadline signal that
/// interrupts code anywhere else (libc: malloc, strtod, strftime, memcpy…; the vDSO; this file; the allocator in
/// arena.c) may interrupt a function that holds a lock or a half-made change, so it is deferred, and taken by the
/// hook, at a safe point, or at one of the timer's next ticks (every 50 ms) that lands in liblua. Empty when liblua
/// is not a separate object (linked statically together with libc): then only the `in_libc` and `in_host` regions
/// defer.
static uintptr_t clua_lua_text_start, clua_lua_text_end;

static int clua_find_text_segment(struct dl_phdr_info *info, size_t size, void *address) {
    (void)size;
    uintptr_t target = (uintptr_t)address;
    for (int i = 0; i < info->dlpi_phnum; i++) {
        const ElfW(Phdr) *header = &info->dlpi_phdr[i];
        if (header->p_type != PT_LOAD || !(header->p_flags & PF_X)) continue;
        uintptr_t start = info->dlpi_addr + header->p_vaddr;
        if (target >= start && target < start + header->p_memsz) {
            clua_lua_text_start = start;
            clua_lua_text_end = start + header->p_memsz;
            return 1;
        }
    }
    return 0;
}

static void clua_find_lua_text(void) {
    dl_iterate_phdr(clua_find_text_segment, (void *)(uintptr_t)&lua_newstate);
    uintptr_t libc = (uintptr_t)&malloc;
    if (libc >= clua_lua_text_start && libc < clua_lua_text_end) clua_lua_text_start = clua_lua_text_end = 0;
}

/// Whether the signal interrupted liblua's own code, where no lock of libc's can be held.
static int clua_interrupted_in_lua(const void *ucontext) {
    if (clua_lua_text_start == clua_lua_text_end) return 1;
    const ucontext_t *context = (const ucontext_t *)ucontext;
#if defined(__x86_64__)
    uintptr_t pc = (uintptr_t)context->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
    uintptr_t pc = (uintptr_t)context->uc_mcontext.pc;
#else
    (void)context;
    return 1;
#endif
    return pc >= clua_lua_text_start && pc < clua_lua_text_end;
}

static void clua_on_deadline_signal(int signal_number, siginfo_t *info, void *ucontext) {
    (void)signal_number;
    (void)info;
    clua_sandbox *sb = clua_current;
    if (!sb || !sb->armed) return;
    int saved_errno = errno;
    if (clua_interrupted_in_lua(ucontext)) {
        clua_escape(sb, CLUA_LIMIT_DEADLINE);
    } else {
        if (sb->limit == CLUA_LIMIT_NONE) sb->limit = CLUA_LIMIT_DEADLINE;
        sb->pending = 1;
    }
    errno = saved_errno;
}

static int clua_deadline_signal(void) { return SIGRTMIN + 7; }

static pthread_once_t clua_signal_once = PTHREAD_ONCE_INIT;

static void clua_install_signal_handler(void) {
    clua_find_lua_text();
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = clua_on_deadline_signal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(clua_deadline_signal(), &action, NULL);
}

/// Creates a sandbox and its `lua_State` with the counting allocator, the count hook and no panic exits.
/// Returns NULL when the state cannot be created.
clua_sandbox *clua_sandbox_new(size_t memory_limit, long long instruction_limit) {
    pthread_once(&clua_signal_once, clua_install_signal_handler);
    clua_sandbox *sb = (clua_sandbox *)calloc(1, sizeof(clua_sandbox));
    if (!sb) return NULL;
    clua_arena_init(&sb->arena, memory_limit);
    sb->memory_limit = memory_limit;
    sb->instruction_limit = instruction_limit;
    sb->L = lua_newstate(clua_allocate, sb);
    if (!sb->L) {
        clua_arena_release(&sb->arena);
        free(sb);
        return NULL;
    }
    *(clua_sandbox **)lua_getextraspace(sb->L) = sb;
    lua_sethook(sb->L, clua_count_hook, LUA_MASKCOUNT, CLUA_HOOK_INTERVAL);
    return sb;
}

static void clua_stop_timer(clua_sandbox *sb) {
    if (sb->timer_created) {
        timer_delete(sb->timer);
        sb->timer_created = 0;
    }
}

/// Arms a per-thread timer that signals this thread at `deadline` and every 50 ms after it.
static int clua_start_timer(clua_sandbox *sb) {
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
void clua_set_deadline(clua_sandbox *sb, long long milliseconds) {
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
static void clua_unblock_signal(sigset_t *previous) {
    sigset_t deadline;
    sigemptyset(&deadline);
    sigaddset(&deadline, clua_deadline_signal());
    pthread_sigmask(SIG_UNBLOCK, &deadline, previous);
}

static void clua_restore_signals(const sigset_t *previous) { pthread_sigmask(SIG_SETMASK, previous, NULL); }

/// What `clua_enter_guard` saved, for `clua_leave_guard`.
typedef struct clua_guard {
    clua_sandbox *previous;
    sigset_t signals;
} clua_guard;

/// Arms the deadline timer for this thread and makes the sandbox the one the signal handler sees. Returns 0, or
/// -1 when the timer cannot be created (nothing is then armed).
static int clua_enter_guard(clua_sandbox *sb, clua_guard *guard) {
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
static void clua_leave_guard(clua_sandbox *sb, clua_guard *guard) {
    sb->armed = 0;
    clua_stop_timer(sb);
    clua_restore_signals(&guard->signals);
    clua_current = guard->previous;
}

/// Runs `function(userdata)` in protected mode under the limits and the deadline. Returns a `lua_pcall` status,
/// or `CLUA_ESCAPED` when a limit ended the run (see `limit`); the results stay on the stack on success.
__attribute__((noinline)) int clua_guarded_call(clua_sandbox *sb, lua_CFunction function, void *userdata) {
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
    if (sb->refusal_pending && sb->limit == CLUA_LIMIT_NONE) sb->limit = CLUA_LIMIT_MEMORY;
    if (status != CLUA_ESCAPED && sb->limit != CLUA_LIMIT_NONE) {
        sb->dead = 1;
        status = CLUA_ESCAPED;
    }
    return status;
}

/// Closes the state, running the remaining `__gc` finalizers under what is left of the last deadline, but at least
/// `minimum_milliseconds` from now. Returns `LUA_OK`, or `CLUA_ESCAPED` when a limit ended the finalizers (the rest
/// of the state is then freed directly).
__attribute__((noinline)) int clua_sandbox_close(clua_sandbox *sb, long long minimum_milliseconds) {
    if (sb->dead) return CLUA_ESCAPED;
    if (sb->closed) return LUA_OK;
    sb->closed = 1;
    if (!sb->finalizers_possible) {
        /* No object has a finalizer (libraries.c, `clua_setmetatable`): everything goes at once, the state with it. */
        clua_arena_release(&sb->arena);
        return LUA_OK;
    }
    int status = LUA_OK;
    struct timespec floor = sb->deadline;
    clua_set_deadline(sb, minimum_milliseconds);
    if (floor.tv_sec > sb->deadline.tv_sec || (floor.tv_sec == sb->deadline.tv_sec && floor.tv_nsec > sb->deadline.tv_nsec))
        sb->deadline = floor;
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
/// an abandoned state still holds, all at once (its arena's chunks and large blocks).
void clua_sandbox_free(clua_sandbox *sb, long long minimum_close_milliseconds) {
    if (!sb) return;
    if (!sb->dead && !sb->closed) clua_sandbox_close(sb, minimum_close_milliseconds);
    clua_arena_release(&sb->arena);
    for (int i = 0; i < sb->result_count; i++) free(sb->results[i].bytes);
    free(sb->error_message);
    free(sb);
}

void clua_set_host(clua_sandbox *sb, clua_host_function host, void *context) {
    sb->host = host;
    sb->context = context;
}

struct lua_State *clua_sandbox_lua(const clua_sandbox *sb) { return sb->L; }
size_t clua_sandbox_memory_peak(const clua_sandbox *sb) { return sb->memory_peak; }
long long clua_sandbox_instructions(const clua_sandbox *sb) { return sb->instructions_used; }
int clua_sandbox_limit(const clua_sandbox *sb) { return sb->limit; }
int clua_sandbox_deadline_passed(const clua_sandbox *sb) { return clua_deadline_passed(sb); }
int clua_result_count(const clua_sandbox *sb) { return sb->result_count; }
