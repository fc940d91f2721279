-- endless recursion that retries after each stack overflow via pcall
local function f() return pcall(f) or f() end
while true do f() end
