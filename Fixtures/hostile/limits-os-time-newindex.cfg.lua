-- Hostile: os.time writes the normalised fields back (yday, wday are new keys: __newindex). Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
os.time(setmetatable({ year = 2026, month = 1, day = 1 }, { __newindex = spin }))
