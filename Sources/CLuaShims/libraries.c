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

/// Sets `*line` to the line being run in the file `file` (whose chunk source is `"@" .. file`, such as
/// "@/etc/prosody/prosody.cfg.lua"), that of the innermost running function loaded from it, and returns 1; returns
/// 0 when no running function is from `file`. What a
/// loop over `debug.getinfo(level, "Sl")` finds, without a table per level, a source string per call, or the line of
/// a level that is not from `file`.
static int clua_line_in(lua_State *L, const char *file, size_t length, int *line) {
    lua_Debug ar;
    for (int level = 1; lua_getstack(L, level, &ar); level++) {
        if (!lua_getinfo(L, "S", &ar)) break;
        if (ar.srclen == length + 1 && ar.source[0] == '@' && memcmp(ar.source + 1, file, length) == 0) {
            if (!lua_getinfo(L, "l", &ar)) break;
            *line = ar.currentline;
            return 1;
        }
    }
    return 0;
}

/// One note of the log, as `trusted.notes` hands it out: its kind, section, name and file as positions in the
/// log's values (0 for nil), and its line, each little-endian: four 32-bit words and a signed 64-bit one, where
/// `CLUA_NOTE_NO_LINE` stands for no line.
#define CLUA_NOTE_BYTES 24
#define CLUA_NOTE_NO_LINE INT64_MIN

/// The notes recorded so far (a full userdata, replaced by one twice as large when full): how many values the log
/// holds, the string last seen in each of a note's four slots with its position in the values (a config sets
/// option after option of one section from one file: only the name changes from note to note), and the notes.
typedef struct clua_note_records {
    uint32_t value_count;
    const char *last_string[4];
    uint32_t last_position[4];
    size_t count;
    size_t capacity;
    unsigned char notes[];
} clua_note_records;

/// The note log's upvalues (of `note`; `notes` has the first and the third): a table holding the records at [1]
/// (so that both see it replaced), the position of each string in the values, and the values.
#define CLUA_NOTE_BOX lua_upvalueindex(1)
#define CLUA_NOTE_POSITIONS lua_upvalueindex(2)
#define CLUA_NOTE_VALUES lua_upvalueindex(3)

static clua_note_records *clua_note_records_of(lua_State *L) {
    lua_rawgeti(L, CLUA_NOTE_BOX, 1);
    clua_note_records *records = (clua_note_records *)lua_touserdata(L, -1);
    lua_pop(L, 1);
    return records;
}

/// The position in the log's values of the value at `index`, note slot `slot`: a string already there is found
/// (the slot's last string by its address, which no other string can have while the values hold it; others by
/// `positions`),
/// any other value is added (a Lua table keys nothing by NaN, and other values are rare).
static uint32_t clua_note_value(lua_State *L, clua_note_records *records, int slot, int index) {
    int type = lua_type(L, index);
    if (type == LUA_TNIL || type == LUA_TNONE) return 0;
    const char *string = NULL;
    if (type == LUA_TSTRING) {
        string = lua_tolstring(L, index, NULL);
        if (string == records->last_string[slot]) return records->last_position[slot];
        lua_pushvalue(L, index);
        if (lua_rawget(L, CLUA_NOTE_POSITIONS) == LUA_TNUMBER) {
            uint32_t known = (uint32_t)lua_tointeger(L, -1);
            lua_pop(L, 1);
            /* The address of the string the values hold (a long string may be another object of equal bytes). */
            lua_rawgeti(L, CLUA_NOTE_VALUES, known);
            records->last_string[slot] = lua_tolstring(L, -1, NULL);
            lua_pop(L, 1);
            records->last_position[slot] = known;
            return known;
        }
        lua_pop(L, 1);
    }
    /* Fewer than 2^32: a Lua table holds at most 2^31 array and 2^30 hash entries. */
    uint32_t position = ++records->value_count;
    lua_pushvalue(L, index);
    lua_rawseti(L, CLUA_NOTE_VALUES, position);
    if (string) {
        lua_pushvalue(L, index);
        lua_pushinteger(L, position);
        lua_rawset(L, CLUA_NOTE_POSITIONS);
        records->last_string[slot] = string;
        records->last_position[slot] = position;
    }
    return position;
}

static void clua_put_le(unsigned char *bytes, uint64_t value, int count) {
    for (int i = 0; i < count; i++) bytes[i] = (unsigned char)(value >> (8 * i));
}

/// `trusted.note(kind, section, name, file)`: appends a note of the four values and the line being run in `file`
/// (see `clua_line_in`; the file's name as a string, else no line). The values are kept in the log (each string
/// once), so a note costs its 24 bytes and no Lua table.
static int clua_note(lua_State *L) {
    lua_settop(L, 4);
    int line = 0;
    int has_line = 0;
    if (lua_type(L, 4) == LUA_TSTRING) {
        size_t length;
        const char *file = lua_tolstring(L, 4, &length);
        has_line = clua_line_in(L, file, length, &line);
    }
    clua_note_records *records = clua_note_records_of(L);
    uint32_t parts[4];
    for (int i = 0; i < 4; i++) parts[i] = clua_note_value(L, records, i, i + 1);
    if (records->count == records->capacity) {
        size_t capacity = records->capacity * 2;
        clua_note_records *grown = (clua_note_records *)lua_newuserdatauv(
            L, sizeof(clua_note_records) + capacity * CLUA_NOTE_BYTES, 0);
        memcpy(grown, records, sizeof(clua_note_records) + records->count * CLUA_NOTE_BYTES);
        grown->capacity = capacity;
        lua_rawseti(L, CLUA_NOTE_BOX, 1);
        records = grown;
    }
    unsigned char *note = records->notes + records->count * CLUA_NOTE_BYTES;
    for (int i = 0; i < 4; i++) clua_put_le(note + 4 * i, parts[i], 4);
    clua_put_le(note + 16, has_line ? (uint64_t)(int64_t)line : (uint64_t)CLUA_NOTE_NO_LINE, 8);
    records->count++;
    return 0;
}

/// `trusted.notes()`: the log's values (a sequence) and its notes as one string (`CLUA_NOTE_BYTES` each).
static int clua_notes(lua_State *L) {
    clua_note_records *records = clua_note_records_of(L);
    lua_pushvalue(L, lua_upvalueindex(2));
    lua_pushlstring(L, (const char *)records->notes, records->count * CLUA_NOTE_BYTES);
    return 2;
}

/// Sets `note` and `notes` of the table at `trusted`, sharing a new, empty note log.
static void clua_set_note_log(lua_State *L, int trusted) {
    lua_createtable(L, 1, 0); /* the box */
    size_t capacity = 64;
    clua_note_records *records =
        (clua_note_records *)lua_newuserdatauv(L, sizeof(clua_note_records) + capacity * CLUA_NOTE_BYTES, 0);
    memset(records, 0, sizeof(clua_note_records));
    records->capacity = capacity;
    lua_rawseti(L, -2, 1);
    lua_newtable(L); /* positions */
    lua_newtable(L); /* values */
    lua_pushvalue(L, -3);
    lua_pushvalue(L, -2);
    lua_pushcclosure(L, clua_notes, 2);
    lua_setfield(L, trusted, "notes");
    lua_pushcclosure(L, clua_note, 3);
    lua_setfield(L, trusted, "note");
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
/// `load`, `collectgarbage`, `debug.getinfo`, `note`, `notes` and `ascii_nameprep` are kept in the registry for the
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

    lua_createtable(L, 0, 6); /* 1: trusted */
    lua_getglobal(L, "load");
    lua_setfield(L, 1, "load");
    lua_getglobal(L, "collectgarbage");
    lua_setfield(L, 1, "collectgarbage");
    luaL_requiref(L, LUA_DBLIBNAME, luaopen_debug, 0);
    lua_getfield(L, -1, "getinfo");
    lua_setfield(L, 1, "getinfo");
    lua_pop(L, 1);
    clua_set_note_log(L, 1);
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
