-- Hostile: pairs runs __pairs. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
pairs(setmetatable({}, { __pairs = spin }))
