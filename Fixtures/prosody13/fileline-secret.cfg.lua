-- 13.0: FileLine reads the first line without its newline; fails on 0.12 (FileLine is nil)
VirtualHost "meet.example.com"
	authentication = "token"
	app_id = FileLine("secrets.d/app_id.txt")
	app_secret = "plain-secret"
