-- included inside a VirtualHost block, but these options are global
app_secret = "global-from-fragment"
VirtualHost "other.example.com"
	app_id = "other"
