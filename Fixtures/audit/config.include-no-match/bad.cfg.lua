-- audit: the glob matches nothing in conf.d (only a .txt file is there)
Include "conf.d/*.cfg.lua"
VirtualHost "auth.meet.example.com"
    authentication = "internal_hashed"
