-- Hostile: string.gsub indexes a table replacement (__index). Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
("abc"):gsub(".", setmetatable({}, { __index = spin }))
