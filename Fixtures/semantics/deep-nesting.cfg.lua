-- tables nested more than 64 levels below an option value (the option value itself is level 0) print as {"$lua_type": "deep"}; scalars are never cut
local function chain(levels) -- innermost table sits `levels` levels below the returned root
	local root = {}
	local cur = root
	for i = 1, levels do
		local nxt = {}
		cur[1] = nxt
		cur = nxt
	end
	cur[1] = "bottom"
	return root
end
innermost_table_at_63 = chain(63) -- "bottom" is at level 64
innermost_table_at_64 = chain(64) -- "bottom" is at level 65: still printed (only tables are cut)
innermost_table_at_65 = chain(65) -- the level-65 table becomes {"$lua_type": "deep"}
innermost_table_at_70 = chain(70)
