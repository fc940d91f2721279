-- only the last path component is a glob: "*" in the directory part is literal, so the directory is not found
Include "include-glob-star.*/alpha.cfg.lua"
