-- the message for an Include name holding a NUL names the file up to the NUL, which it tried to open
Include "include-name-cut-at-nul.d/missing\0.cfg.lua"
