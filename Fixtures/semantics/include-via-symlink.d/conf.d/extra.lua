-- found next to the symlink (conf.d/), which is where the Include resolves
extra_from = "conf.d"
