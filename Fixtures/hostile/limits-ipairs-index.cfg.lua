-- Hostile: ipairs reads with lua_geti (__index). Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
for _ in ipairs(setmetatable({}, { __index = spin })) do end
