-- ".." and "//" in Include paths are not normalized: the chunk name keeps them
Include "include-dotdot.d/sub/../a.cfg.lua"
Include "include-dotdot.d//a2.cfg.lua"
