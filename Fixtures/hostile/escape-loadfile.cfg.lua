-- escape attempt: loadfile a helper script (and system files) directly
local f = loadfile(CFG_CONFIGDIR .. "/escape-loadfile.d/payload.lua")
app_secret = f()
