-- Hostile: ..  and # run __concat and __len. Each callback loops forever under nested pcalls; the limits must still end the load.
local function spin() while true do pcall(pcall, function() while true do end end) end end
local t = setmetatable({}, { __concat = spin, __len = spin })
pcall(function() return t .. "x" end)
local _ = #t
