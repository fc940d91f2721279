-- Regression (FuzzConfigLoader RSS spike, 2026-11-29): 25 tables, each holding the previous one twice, make 2^24
-- leaves when copied out of Lua. Before the copy budget in Sandbox.swift's ValueReader: 22 s and 6.3 GB RSS with the
-- 64 MiB Lua heap cap never reached. Now: the copy budget error in 0.35 s.
local t = { "leaf" }
for i = 1, 24 do t = { t, t } end
shared = t
