-- an error inside a RunScript helper propagates (chunk name = the helper path as resolved)
RunScript "runscript-error.d/fail.lua"
