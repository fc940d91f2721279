-- a file that includes itself
Include "include-self.cfg.lua"
