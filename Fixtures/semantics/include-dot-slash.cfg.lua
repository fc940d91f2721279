-- one leading "./" (with any extra slashes) is stripped before joining: the chunk name in the warnings shows the resolved path
Include "./include-dot-slash.d/a.cfg.lua"
Include ".//include-dot-slash.d/b.cfg.lua"
Include "././include-dot-slash.d/c.cfg.lua"
