-- declaring the same VirtualHost twice merges both blocks into one section (no warning across blocks for different options)
VirtualHost "meet.example.com"
	authentication = "token"
	app_id = "first"
VirtualHost "other.example.com"
	app_id = "other"
VirtualHost "meet.example.com"
	app_secret = "second-block"
