-- NOT used: only a loader that resolved the symlink would find this one
extra_from = "conf.avail"
