-- escape attempt: poison the shared string metatable so later host-side string methods misbehave
getmetatable("").__index = function() return function() return "pwned" end end
app_id = ("x"):upper()
