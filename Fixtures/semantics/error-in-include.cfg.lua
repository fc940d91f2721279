-- a runtime error in an included file is re-raised with the included file's chunk name
app_id = "main"
Include "error-in-include.d/broken.cfg.lua"
