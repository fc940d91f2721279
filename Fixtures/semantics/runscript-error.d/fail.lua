-- helper that fails at line 2
local x = {} + 1
