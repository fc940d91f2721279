-- 13.0: FileLines returns an array of lines; fails on 0.12 (FileLines is nil)
admins = FileLines("secrets.d/admins.txt")
