#ifndef CLUA_H
#define CLUA_H

// The system Lua 5.4 (Debian liblua5.4-dev): its C API, for LuaSandbox only. The sandbox's own C code is the
// CLuaShims target.
#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>

#endif
