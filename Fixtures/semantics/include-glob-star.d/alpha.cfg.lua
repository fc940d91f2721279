-- matched by *.cfg.lua
VirtualHost "alpha.example.com"
	app_id = "alpha"
