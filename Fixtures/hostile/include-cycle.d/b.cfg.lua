-- second half of the include cycle
app_secret = "b"
Include "../include-cycle.cfg.lua"
