-- matched by host?.cfg.lua
two = true
