-- Hostile: string.format's %s runs __tostring. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
string.format("%s", setmetatable({}, { __tostring = spin }))
