-- RunScript of a missing file: dofile's "cannot open" error
RunScript "runscript-missing.d/nope.lua"
