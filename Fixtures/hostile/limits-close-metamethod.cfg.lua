-- Hostile: a to-be-closed variable's __close runs when its block ends. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
do local x <close> = setmetatable({}, { __close = spin }) end
