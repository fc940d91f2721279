-- Hostile: table.sort calls the comparator. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
table.sort({ 3, 2, 1 }, function() spin() end)
