-- 13.0: a directory opens but does not read: "Is a directory"
x = FileLines("secrets.d")
