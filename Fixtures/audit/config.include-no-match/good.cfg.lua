-- audit: the glob matches sites/meet.example.com.cfg.lua
Include "sites/*.cfg.lua"
