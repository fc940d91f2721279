-- Hostile: finalizers (hooks off) run by a collection step, under nested pcalls. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
for i = 1, 200 do setmetatable({}, { __gc = spin }) end
while true do pcall(pcall, function() local t = {} for i = 1, 100 do t[i] = {} end end) end
