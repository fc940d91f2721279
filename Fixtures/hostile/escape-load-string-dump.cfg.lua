-- escape attempt: load bytecode produced by string.dump (bytecode can break the VM's safety)
local code = string.dump(function() return "from bytecode" end)
local f = load(code)
app_id = f()
