-- included by duplicate-across-include.cfg.lua: overrides app_id, sets app_secret before the main file sets it again
app_id = "included"
app_secret = "included"
