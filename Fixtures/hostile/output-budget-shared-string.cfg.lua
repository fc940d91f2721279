-- Class: unbounded output. One 1.2 MB string in 60 slots: 72 MB of values, within the copy budget (128 MiB), but a
-- dump of more than the 64 MiB output budget.
local s = ("x"):rep(1200000)
local t = {}
for i = 1, 60 do t[i] = s end
many = t
