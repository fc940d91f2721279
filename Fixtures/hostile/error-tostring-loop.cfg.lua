-- an error object whose __tostring never returns: whoever formats the error hangs
error(setmetatable({}, { __tostring = function(t) while true do end end }))
