-- 13.0: a table as format: "bad argument #1 to 'read' (string expected, got table)"
x = FileLine("secrets.d/app_id.txt", {})
