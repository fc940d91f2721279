-- VirtualHost/Component names are nameprepped: ASCII upper case is lowered, both sections merge with the lower-case spelling
VirtualHost "MEET.Example.COM"
	app_id = "upper"
VirtualHost "meet.example.com"
	app_secret = "lower"
Component "Conference.MEET.example.com" "muc"
