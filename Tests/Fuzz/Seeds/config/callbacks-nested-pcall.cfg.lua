local function spin() while true do pcall(pcall, function() while true do end end) end end
pcall(os.time, setmetatable({}, { __index = spin }))
pcall(table.sort, { 3, 2, 1 }, function(a, b) return spin() end)
pcall(string.gsub, "abc", ".", setmetatable({}, { __index = spin }))
pcall(table.concat, setmetatable({}, { __len = function() return 3 end, __index = spin }))
do local x <close> = setmetatable({}, { __close = spin }) end
