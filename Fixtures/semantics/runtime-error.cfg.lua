-- a runtime error aborts the whole load (no partial config); message "<chunkname>:<line>: ..."
app_id = "acme_meet"
local limits = nil
max = limits.c2s
