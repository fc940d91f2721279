-- a non-string error raised in an included file breaks the Include re-raise (err:gsub on a number) inside configmanager
Include "error-object-in-include.d/raise.cfg.lua"
