-- an error object whose __tostring returns a non-string ("'__tostring' must return a string")
error(setmetatable({}, { __tostring = function(t) return {} end }))
