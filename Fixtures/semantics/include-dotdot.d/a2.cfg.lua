-- included via include-dotdot.d//a2.cfg.lua
doubleslash = 1
doubleslash = 2
