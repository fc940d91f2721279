-- Hostile: a collection step inside os.date used to run finalizers (hooks off) inside the deferring region. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
for i = 1, 200 do setmetatable({}, { __gc = spin }) end
local format = ("%c %Y-%m-%d %H:%M:%S "):rep(1000)
while true do os.date(format) end
