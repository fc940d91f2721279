-- matched by *.cfg.lua ("*" crosses dots)
VirtualHost "beta.example.com"
	app_id = "beta"
