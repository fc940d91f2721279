-- Hostile: table.move writes with lua_seti (__newindex). Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
table.move({ 1, 2, 3 }, 1, 3, 1, setmetatable({}, { __newindex = spin }))
