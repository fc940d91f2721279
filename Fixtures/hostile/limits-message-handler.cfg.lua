-- Hostile: xpcall's message handler. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
xpcall(error, spin, "boom")
