-- Regression (FuzzConfigLoader RSS spike, 2026-11-29): one 1 MB Lua string stored in 2000 slots. Before the copy
-- budget and string sharing in Sandbox.swift's ValueReader: copied 2000 times, 1.3 s and 1.9 GB RSS. Now: loads, the
-- string is copied once and shared (17 MB RSS).
local s = ("x"):rep(1000000)
local t = {}
for i = 1, 2000 do t[i] = s end
many = t
