-- glob Include: "*" matches any characters including dots; dotfiles and non-matching names are skipped; files are included in readdir order (no conflicts here, so the order does not matter)
Include "include-glob-star.d/*.cfg.lua"
