-- escape attempt: load with explicit "b" mode and a hand-made (invalid) binary chunk
local f, err = load("\27Lua\84\0garbage", "=x", "b")
app_id = f and f() or err
