-- escape attempt: dofile a system file (in real Lua the parse error leaks its first bytes)
dofile("/etc/passwd")
