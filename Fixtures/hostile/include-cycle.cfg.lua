-- include cycle: this file includes include-cycle.d/b.cfg.lua, which includes this file again
app_id = "a"
Include "include-cycle.d/b.cfg.lua"
