Include "conf.d/*.cfg.lua"
Include "many/*.cfg.lua"
Include "linkdir/*.cfg.lua"
