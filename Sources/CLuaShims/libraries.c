// The libraries a config sees, the raw-reading `os.time`/`os.date`, the host trampoline and the chunk runner.

#include "internal.h"

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
int clua_result_string(clua_sandbox *sb, const void *bytes, size_t length) {
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

void clua_result_simple(clua_sandbox *sb, int type, int boolean, long long integer) {
    if (sb->result_count >= CLUA_MAX_RESULTS) return;
    clua_result *result = &sb->results[sb->result_count++];
    result->type = type;
    result->boolean = boolean;
    result->integer = integer;
    result->bytes = NULL;
    result->length = 0;
}

/// Sets the message the trampoline raises after a host function returns `CLUA_HOST_ERROR`.
void clua_host_error(clua_sandbox *sb, const void *bytes, size_t length) {
    free(sb->error_message);
    sb->error_message = (char *)malloc(length ? length : 1);
    sb->error_length = sb->error_message ? length : 0;
    if (sb->error_message && length) memcpy(sb->error_message, bytes, length);
}

/// Calls the function below `arguments` arguments on the stack inside a libc region: `os.date` and `os.time` take
/// glibc's time-zone lock, so no jump may leave them. No Lua code runs in the region: the collector (and so every
/// `__gc`) is stopped, and the callers hand these functions only plain values and tables without metatables.
static int clua_call_in_libc(lua_State *L, int arguments) {
    clua_sandbox *sb = clua_sandbox_of(L);
    int collecting = lua_gc(L, LUA_GCISRUNNING) == 1;
    int kilobytes_before = collecting ? lua_gc(L, LUA_GCCOUNT) : 0;
    if (collecting) lua_gc(L, LUA_GCSTOP);
    sb->in_libc++;
    int status = lua_pcall(L, arguments, LUA_MULTRET, 0);
    sb->in_libc--;
    if (collecting) {
        /* Restarting forgets the debt run up inside: charge it now, or the collector falls behind for good. */
        lua_gc(L, LUA_GCRESTART);
        int grown = lua_gc(L, LUA_GCCOUNT) - kilobytes_before;
        if (grown > 0) lua_gc(L, LUA_GCSTEP, grown);
    }
    clua_take_pending(sb);
    return status;
}

/// `os.date` (upvalue 1): its arguments are strings and numbers read without metamethods.
static int clua_os_date(lua_State *L) {
    int arguments = lua_gettop(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    if (clua_call_in_libc(L, arguments) != LUA_OK) return lua_error(L);
    return lua_gettop(L);
}

/// The fields `os.time` reads from its table, in its order, and those it writes back (normalised).
static const char *const clua_time_read[] = {"year", "month", "day", "hour", "min", "sec", "isdst", NULL};
static const char *const clua_time_written[] = {"year", "month", "day", "hour", "min", "sec", "yday", "wday",
                                                "isdst", NULL};

/// `os.time` (upvalue 1) with its table's metamethods run outside the libc region: the fields are read (with
/// `__index`, as Lua does) into a plain table before, and the normalised fields written back (with `__newindex`)
/// after, where the limits can stop any code they run.
static int clua_os_time(lua_State *L) {
    if (lua_isnoneornil(L, 1)) {
        lua_settop(L, 0);
        lua_pushvalue(L, lua_upvalueindex(1));
        if (clua_call_in_libc(L, 0) != LUA_OK) return lua_error(L);
        return 1;
    }
    luaL_checktype(L, 1, LUA_TTABLE);
    lua_settop(L, 1);
    lua_createtable(L, 0, 9); /* 2: the plain copy */
    for (const char *const *field = clua_time_read; *field; field++) {
        lua_getfield(L, 1, *field);
        lua_setfield(L, 2, *field);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_pushvalue(L, 2);
    if (clua_call_in_libc(L, 1) != LUA_OK) return lua_error(L);
    for (const char *const *field = clua_time_written; *field; field++) { /* 3: the time */
        if (lua_getfield(L, 2, *field) == LUA_TNIL) lua_pop(L, 1);
        else lua_setfield(L, 1, *field);
    }
    lua_settop(L, 3);
    return 1;
}

/// `trusted.line_in(file)`: the current line of the innermost running function loaded from the file `file` (whose
/// chunk source is `"@" .. file`, such as "@/etc/prosody/prosody.cfg.lua"), or nil. What a loop over
/// `debug.getinfo(level, "Sl")` finds, without a table per level, a source string per call, or the line of a level
/// that is not from `file`.
static int clua_line_in(lua_State *L) {
    size_t length;
    const char *file = luaL_checklstring(L, 1, &length);
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "S", &ar)) break;
        if (ar.srclen == length + 1 && ar.source[0] == '@' && memcmp(ar.source + 1, file, length) == 0) {
            if (!lua_getinfo(L, "l", &ar)) break;
            lua_pushinteger(L, ar.currentline);
            return 1;
        }
    }
    lua_pushnil(L);
    return 1;
}

/// `trusted.ascii_nameprep(name)`: RFC 3491 nameprep of an ASCII string under 1024 bytes, which only lowercases
/// `A`-`Z` (what StringPrep's nameprep does for such names without ICU): the same string when nothing changes, else
/// the lowercased one. nil for any other input, which the prelude hands to the host's nameprep. A config names a
/// host per section, and a call through the host trampoline cost more than the rest of the section's options.
static int clua_ascii_nameprep(lua_State *L) {
    size_t length = 0;
    const char *name = lua_type(L, 1) == LUA_TSTRING ? lua_tolstring(L, 1, &length) : NULL;
    if (!name || length >= 1024) {
        lua_pushnil(L);
        return 1;
    }
    int upper = 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char byte = (unsigned char)name[i];
        if (byte >= 0x80) {
            lua_pushnil(L);
            return 1;
        }
        if (byte >= 'A' && byte <= 'Z') upper = 1;
    }
    if (!upper) {
        lua_settop(L, 1);
        return 1;
    }
    char lowered[1024];
    for (size_t i = 0; i < length; i++) {
        char byte = name[i];
        lowered[i] = byte >= 'A' && byte <= 'Z' ? (char)(byte | 0x20) : byte;
    }
    lua_pushlstring(L, lowered, length);
    return 1;
}

/// The base library's `setmetatable`, which also notes when the metatable has a `__gc` field. Lua marks an object
/// for finalization only when it gets such a metatable (a field added later marks nothing), and nothing else that a
/// config reaches sets one but the auxiliary library's buffers, whose finalizers only free their memory; so without
/// such a call, closing the state would only free its memory one block at a time, which the arena does at once.
static int clua_setmetatable(lua_State *L) {
    int type = lua_type(L, 2);
    luaL_checktype(L, 1, LUA_TTABLE);
    luaL_argexpected(L, type == LUA_TNIL || type == LUA_TTABLE, 2, "nil or table");
    if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL) return luaL_error(L, "cannot change a protected metatable");
    lua_settop(L, 2);
    if (type == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL) clua_sandbox_of(L)->finalizers_possible = 1;
        lua_pop(L, 1);
    }
    lua_setmetatable(L, 1);
    return 1;
}

/// Opens the safe libraries and removes what a config must not reach: `dofile`, `loadfile`, `require`,
/// `collectgarbage`, `print`, `string.dump`, and every `os` function but `getenv`, `time`, `date`, `clock`.
/// `load`, `collectgarbage`, `debug.getinfo`, `line_in` and `ascii_nameprep` are kept in the registry for the
/// trusted prelude only (`clua_push_trusted`).
static int clua_open_safe_libraries(lua_State *L) {
    luaL_requiref(L, LUA_GNAME, luaopen_base, 1);
    luaL_requiref(L, LUA_STRLIBNAME, luaopen_string, 1);
    luaL_requiref(L, LUA_TABLIBNAME, luaopen_table, 1);
    luaL_requiref(L, LUA_MATHLIBNAME, luaopen_math, 1);
    luaL_requiref(L, LUA_UTF8LIBNAME, luaopen_utf8, 1);
    lua_settop(L, 0);
    lua_pushcfunction(L, clua_setmetatable);
    lua_setglobal(L, "setmetatable");

    lua_createtable(L, 0, 5); /* 1: trusted */
    lua_getglobal(L, "load");
    lua_setfield(L, 1, "load");
    lua_getglobal(L, "collectgarbage");
    lua_setfield(L, 1, "collectgarbage");
    luaL_requiref(L, LUA_DBLIBNAME, luaopen_debug, 0);
    lua_getfield(L, -1, "getinfo");
    lua_setfield(L, 1, "getinfo");
    lua_pop(L, 1);
    lua_pushcfunction(L, clua_line_in);
    lua_setfield(L, 1, "line_in");
    lua_pushcfunction(L, clua_ascii_nameprep);
    lua_setfield(L, 1, "ascii_nameprep");
    lua_setfield(L, LUA_REGISTRYINDEX, "clua.trusted");

    luaL_requiref(L, LUA_OSLIBNAME, luaopen_os, 0); /* 1: the full os library, not global */
    lua_createtable(L, 0, 4);                       /* 2: the read-only os */
    lua_getfield(L, 1, "getenv");
    lua_setfield(L, 2, "getenv");
    lua_getfield(L, 1, "clock");
    lua_setfield(L, 2, "clock");
    lua_getfield(L, 1, "date");
    lua_pushcclosure(L, clua_os_date, 1);
    lua_setfield(L, 2, "date");
    lua_getfield(L, 1, "time");
    lua_pushcclosure(L, clua_os_time, 1);
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

/// Pushes a table of the trusted capabilities (`load`, `collectgarbage`, `getinfo`) and one trampoline per host function id.
static void clua_push_trusted(lua_State *L, const char *const *host_names, int host_count) {
    lua_getfield(L, LUA_REGISTRYINDEX, "clua.trusted");
    for (int i = 0; i < host_count; i++) {
        lua_pushinteger(L, i);
        lua_pushcclosure(L, clua_trampoline, 1);
        lua_setfield(L, -2, host_names[i]);
    }
}

static int clua_call_chunk(lua_State *L) {
    clua_chunk_call *call = (clua_chunk_call *)lua_touserdata(L, 1);
    lua_settop(L, 0);
    if (luaL_loadbufferx(L, call->source, call->source_length, call->chunk_name, call->precompiled ? "b" : "t") != LUA_OK) return lua_error(L);
    clua_push_trusted(L, call->host_names, call->host_count);
    luaL_checkstack(L, call->argument_count + 1, "too many arguments");
    for (int i = 0; i < call->argument_count; i++) lua_pushlstring(L, call->arguments[i], call->argument_lengths[i]);
    lua_call(L, 1 + call->argument_count, LUA_MULTRET);
    return lua_gettop(L);
}

int clua_run_chunk(clua_sandbox *sb, clua_chunk_call *call) { return clua_guarded_call(sb, clua_call_chunk, call); }

int clua_open_libraries(clua_sandbox *sb) { return clua_guarded_call(sb, clua_open_safe_libraries, NULL); }
