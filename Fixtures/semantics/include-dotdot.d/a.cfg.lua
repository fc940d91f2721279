-- included via include-dotdot.d/sub/../a.cfg.lua
dotdot = 1
dotdot = 2
