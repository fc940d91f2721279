-- 13.0: io.lines' own message, at Prosody's line: "cannot open file '…' (No such file or directory)"
x = FileLines("secrets.d/missing.txt")
