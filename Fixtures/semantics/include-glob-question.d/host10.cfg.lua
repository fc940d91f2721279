-- NOT matched by host?.cfg.lua (two characters)
error("host10 must not be included")
