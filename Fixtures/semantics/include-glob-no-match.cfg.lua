-- a glob that matches nothing in an existing directory is a silent no-op
Include "include-glob-no-match.d/*.cfg.lua"
still_loaded = true
