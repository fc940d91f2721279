-- memory bomb: fills a table forever
local t = {}
local i = 0
while true do
	i = i + 1
	t[i] = { i, tostring(i) }
end
