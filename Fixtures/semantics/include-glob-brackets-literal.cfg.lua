-- "[...]" is not a glob: without "*" or "?" this is a plain Include of a file literally named "[ab].cfg.lua"
Include "include-glob-brackets-literal.d/[ab].cfg.lua"
