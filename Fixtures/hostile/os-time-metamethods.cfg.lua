-- os.time reads its table's fields through __index and writes the normalised fields back through __newindex,
-- in Lua's order, even though the sandbox runs both outside the libc region.
local reads, writes = {}, {}
local fields = { year = 2026, month = 14, day = 40, hour = 12 }
local t = setmetatable({}, {
    __index = function(_, k) reads[#reads + 1] = k; return fields[k] end,
    __newindex = function(self, k, v) writes[#writes + 1] = k .. "=" .. tostring(v); rawset(self, k, v) end,
})
local time = os.time(t)
result = table.concat({ tostring(time == os.time({ year = 2027, month = 3, day = 12, hour = 12 })),
    table.concat(reads, ","), table.concat(writes, ","),
    select(2, pcall(os.time, { year = 2026 })), select(2, pcall(os.time, { year = 2026, month = "x", day = 1 })) }, "|")
