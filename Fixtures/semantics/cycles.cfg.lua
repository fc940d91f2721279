-- tables that contain themselves print {"$lua_type": "cycle"} at the repeat; built in locals because options cannot be read back
local t = {}
t.self = t
t.name = "loop"
opt = t
local a, b = { name = "a" }, { name = "b" }
a.peer, b.peer = b, a
pair = a
list = { t, t }
