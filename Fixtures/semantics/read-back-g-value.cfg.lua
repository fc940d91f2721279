-- an option named like a Lua global (type, next, string) is stored, but reading the name back yields _G's value, not the option
type = "muc"
kind = type
type_of_secret = type("secret")
string = "shadowed?"
upper = string.upper("still works")
