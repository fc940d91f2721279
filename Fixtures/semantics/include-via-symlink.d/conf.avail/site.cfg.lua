-- real file; reached through conf.d/site.cfg.lua; its relative Include resolves against conf.d/, not conf.avail/
VirtualHost "meet.example.com"
	app_id = "site"
	app_id = "site-dup"
Include "extra.lua"
