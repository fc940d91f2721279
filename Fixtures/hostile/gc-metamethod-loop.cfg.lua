-- a __gc finalizer that never returns: runs at some later collection or at close
setmetatable({}, { __gc = function() while true do end end })
app_id = "acme_meet"
