-- matched by host?.cfg.lua
one = true
