-- 13.0: a format that is no read format: "bad argument #1 to 'read' (invalid format)" at the read
x = FileContents("secrets.d/app_id.txt", "x")
