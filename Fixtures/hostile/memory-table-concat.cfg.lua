-- memory/time bomb: builds 10^8 pieces and concatenates them
local t = {}
for i = 1, 1e8 do t[i] = "0123456789" end
app_secret = table.concat(t)
