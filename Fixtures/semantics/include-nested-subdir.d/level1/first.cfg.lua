-- included from the main file; includes second.cfg.lua from its own directory
first = true
Include "second.cfg.lua"
Include "level2/third.cfg.lua"
