-- included; globs its own hosts/ subdirectory
Include "hosts/*.cfg.lua"
