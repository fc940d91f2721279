-- Include of a symlink inside the fixture directory that points to /etc/passwd
Include "include-symlink-passwd.d/passwd.cfg.lua"
