-- the naive "t = {}; t.self = t; opt = t" fails in 0.12: t is stored as an option and reads back as nil
t = {}
t.self = t
opt = t
