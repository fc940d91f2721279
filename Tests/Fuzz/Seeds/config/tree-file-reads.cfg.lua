local names = { "secret.txt", "linkdir/host.cfg.lua", "outdir/passwd", "updown/passwd", "conf.d/loop.cfg.lua",
    "conf.d/dangling.cfg.lua", "conf.d/fifo.cfg.lua", "conf.d/out-passwd.cfg.lua", "d1/d2/../d2/d3/../../../secret.txt",
    "conf.d/relative-in.cfg.lua", "conf.d/absolute-in.cfg.lua", "./conf.d//plain.cfg.lua", "conf.d/", "many" }
results = {}
for i, name in ipairs(names) do results[i] = { pcall(FileContents, name) } end
lines = FileLines("secret.txt")
