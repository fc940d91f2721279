-- 13.0: a fractional count: "number has no integer representation"
x = FileContents("secrets.d/app_id.txt", 2.5)
