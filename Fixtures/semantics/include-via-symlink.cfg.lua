-- a symlinked include (conf.d/x -> ../conf.avail/x) keeps the symlink path as chunk name and as base for its relative Includes
Include "include-via-symlink.d/conf.d/*.cfg.lua"
