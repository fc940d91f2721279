-- 13.0: "n" on text that is no numeral: read gives nil, and FileContents raises that nil
x = FileContents("secrets.d/app_id.txt", "n")
