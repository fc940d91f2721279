-- Hostile: os.time's field reads run __index; it used to run inside the region that defers the escape. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
os.time(setmetatable({}, { __index = spin }))
