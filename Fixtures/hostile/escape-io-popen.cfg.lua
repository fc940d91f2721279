-- escape attempt: read command output through io.popen
local p = io.popen("id")
app_id = p:read("*a")
p:close()
