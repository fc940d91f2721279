a = select(2, load("return 1", "x", "b"))
b = select(2, load("\27Lua", "x", "bt"))
c = load(function() return nil end)
local parts = { "return ", "1" }
d = load(function() return table.remove(parts, 1) end)()
