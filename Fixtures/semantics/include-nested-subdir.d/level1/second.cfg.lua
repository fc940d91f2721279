-- lives next to first.cfg.lua
second = true
second = "dup"
