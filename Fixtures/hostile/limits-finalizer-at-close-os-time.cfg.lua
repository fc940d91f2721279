-- Hostile: a finalizer that runs only when the state is closed calls os.time with a hostile table. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
setmetatable({}, { __gc = function() os.time(setmetatable({}, { __index = spin })) end })
app_id = "closed"
