-- included by include-glob-bare.cfg.lua via "include-glob-bare-*.lua" (not itself a fixture)
bare_glob = 1
bare_glob = 2
