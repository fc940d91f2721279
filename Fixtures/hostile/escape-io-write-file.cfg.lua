-- escape attempt: write a file with io.open(..., "w")
local f = io.open("/tmp/jitsi-jwt-written-by-config", "w")
f:write("pwned")
f:close()
