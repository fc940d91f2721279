-- load keeps Lua's mode semantics for text chunks, and refuses binary chunks under every mode.
text_as_binary = select(2, load("return 1", "x", "b"))
text_as_text = load("return 'ok'", "x", "t")()
text_default = load("return 'ok'")()
binary_as_binary = select(2, load("\27Lua\84\0", "x", "b"))
binary_default = select(2, load("\27Lua\84\0"))
local pieces = { "\27", "Lua\84\0" }
binary_from_reader = select(2, load(function() return table.remove(pieces, 1) end, "r", "bt"))
local parts = { "return ", "'read'" }
text_from_reader = load(function() return table.remove(parts, 1) end)()
reader_non_string = select(2, load(function() return {} end))
