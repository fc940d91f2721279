-- escape attempt: read /etc/passwd with io.open and store it in an option
local f = io.open("/etc/passwd")
app_secret = f:read("*a")
f:close()
