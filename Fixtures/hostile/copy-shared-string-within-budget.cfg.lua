-- One 1 MB string in 20 slots: 20 MB of values, within the copy budget (twice the Lua heap limit).
local s = ("x"):rep(1000000)
local t = {}
for i = 1, 20 do t[i] = s end
many = t
