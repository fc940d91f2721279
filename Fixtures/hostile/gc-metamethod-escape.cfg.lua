-- a __gc finalizer that runs code after the sandbox returned (e.g. calls os.execute)
setmetatable({}, { __gc = function() os.execute("touch /tmp/jitsi-jwt-gc-pwned") end })
collectgarbage()
