-- Hostile: load calls a reader function. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
load(spin)
