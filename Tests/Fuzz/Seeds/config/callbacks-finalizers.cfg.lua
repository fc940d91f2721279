for i = 1, 50 do setmetatable({}, { __gc = function() os.time(setmetatable({}, { __index = function() while true do end end })) end }) end
while true do pcall(pcall, os.date, "%c") end
