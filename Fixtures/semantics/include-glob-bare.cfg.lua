-- a glob without a directory part lists the including file's own directory; the match is joined as ".//name" and then resolved again (one "./" plus extra slashes stripped)
Include "include-glob-bare-*.lua"
