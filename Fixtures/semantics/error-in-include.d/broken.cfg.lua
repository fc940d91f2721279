-- included: fails at line 3
ok_so_far = true
local x = nil .. "boom"
