-- a missing non-glob Include is an error: "Error loading included <resolved>: <resolved>: No such file or directory"
Include "include-missing.d/nope.cfg.lua"
