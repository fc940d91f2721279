-- 13.0: a directory opens but does not read: "Is a directory" at the config's line
x = FileContents("secrets.d")
