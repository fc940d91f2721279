-- _ENV[1] = 2 goes through __newindex and stores option key 1 (an integer) in the global section; a float key works the same way
_ENV[1] = 2
_ENV[2.5] = "float key"
name = "plain"
