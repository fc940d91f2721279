-- Hostile: table.insert takes the length (__len). Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
table.insert(setmetatable({}, { __len = spin }), 1)
