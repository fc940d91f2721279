-- Hostile: table.concat reads elements with lua_geti (__index) and the length with __len. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
table.concat(setmetatable({}, { __len = function() return 3 end, __index = spin }))
