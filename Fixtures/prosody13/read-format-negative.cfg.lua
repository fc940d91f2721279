-- 13.0: a negative count becomes a huge size_t, whose buffer Lua cannot allocate: "not enough memory"
x = FileContents("secrets.d/app_id.txt", -1)
