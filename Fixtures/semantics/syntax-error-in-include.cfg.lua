-- a syntax error in an included file names the included file
Include "syntax-error-in-include.d/broken.cfg.lua"
