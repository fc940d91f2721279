-- 13.0: File* take io's read formats as Lua 5.4's file:read does ("n", counts, "*"-prefixed and long names).
number = FileContents("secrets.d/number.txt", "n")
first_bytes = FileContents("secrets.d/app_id.txt", 4)
not_at_end = FileContents("secrets.d/app_id.txt", 0)
line_with_newline = FileLine("secrets.d/app_id.txt", "L")
long_name = FileContents("secrets.d/app_id.txt", "line")
whole = FileLine("secrets.d/app_id.txt", "*a")
integral_float = FileContents("secrets.d/app_id.txt", 3.0)
