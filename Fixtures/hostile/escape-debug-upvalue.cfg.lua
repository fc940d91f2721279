-- escape attempt: read configmanager internals through debug.getupvalue on a directive function
local name, value = debug.getupvalue(VirtualHost, 1)
upvalue_name = name
