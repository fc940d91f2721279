-- a nested Include resolves relative to the directory of the file holding the Include line, not the main config
Include "include-nested-subdir.d/level1/first.cfg.lua"
