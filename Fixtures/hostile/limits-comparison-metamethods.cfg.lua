-- Hostile: ==, < and <= run __eq, __lt, __le. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
local mt = { __eq = spin, __lt = spin, __le = spin }
local a, b = setmetatable({}, mt), setmetatable({}, mt)
local _ = pcall(function() return a == b end) or pcall(function() return a < b end) or (a <= b)
