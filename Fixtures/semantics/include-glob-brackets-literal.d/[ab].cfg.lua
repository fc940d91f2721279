-- a file literally named [ab].cfg.lua
literal_brackets = true
