-- 13.0: app_secret = FileContents("secrets.d/app_secret.txt") (keeps the trailing newline); on 0.12 FileContents is nil: "attempt to call a nil value (global 'FileContents')"
VirtualHost "meet.example.com"
	authentication = "token"
	app_id = "acme_meet"
	app_secret = FileContents("secrets.d/app_secret.txt")
