-- audit: the main config of the file-mode test; the test copies site.cfg.lua into conf.d/
Include "conf.d/*.cfg.lua"
