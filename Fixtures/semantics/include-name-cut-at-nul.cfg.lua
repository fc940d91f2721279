-- an Include name holding a NUL names the file up to the NUL, as C's fopen sees the string io.open passes it
Include "include-name-cut-at-nul.d/host.cfg.lua\0.disabled"
Include "include-name-cut-at-nul.d/*.cfg.lua\0.ignored"
