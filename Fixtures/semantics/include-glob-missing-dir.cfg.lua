-- a glob into a directory that does not exist is an error raised by lfs.dir inside configmanager
Include "include-glob-missing-dir.d/*.cfg.lua"
