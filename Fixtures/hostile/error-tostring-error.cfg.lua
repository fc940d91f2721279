-- an error object whose __tostring itself raises an error
error(setmetatable({}, { __tostring = function(t) error("tostring failed") end }))
