-- Hostile: tostring runs __tostring. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
tostring(setmetatable({}, { __tostring = spin }))
