-- the same option assigned in the main file and in an included file gives no warning (tracking is per file); the later assignment wins
app_id = "main"
Include "duplicate-across-include.d/override.cfg.lua"
app_secret = "main-after-include"
