Include "d1/d2/d3/d4/d5/d6/d7/d8/deep.cfg.lua"
pcall(Include, "outdir/passwd")
pcall(Include, "conf.d/\255\254\195(.cfg.lua")
pcall(Include, "outdir/*")
pcall(Include, "updown/*.conf")
RunScript "conf.avail/host.cfg.lua"
