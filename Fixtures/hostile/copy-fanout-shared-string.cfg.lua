-- Regression (FuzzConfigLoader RSS spike, 2026-11-29): one 1 MB Lua string stored in 2000 slots. Before the copy
-- budget in Sandbox.swift's ValueReader: copied 2000 times, 1.3 s and 1.9 GB RSS; later shared, but still written
-- out 2000 times by every command. Now: a clear error, since every slot counts the string's bytes against the copy
-- budget (2 GB of values, more than twice the Lua heap limit).
local s = ("x"):rep(1000000)
local t = {}
for i = 1, 2000 do t[i] = s end
many = t
