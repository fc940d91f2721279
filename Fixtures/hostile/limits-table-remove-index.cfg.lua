-- Hostile: table.remove reads the last element (__index). Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
table.remove(setmetatable({}, { __len = function() return 2 end, __index = spin }))
