-- a duplicate option in a file whose chunk name is 60+ bytes: Lua shortens short_src ("..."), get_line_number finds no line and the warning's %d format crashes the load
Include "duplicate-long-path.d/a-directory-name-long-enough-to-exceed-lua-idsize/dup.cfg.lua"
