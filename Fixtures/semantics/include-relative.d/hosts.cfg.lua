-- included: a VirtualHost plus a duplicate (the warning shows this file's resolved chunk name)
VirtualHost "meet.example.com"
	app_id = "included"
	app_id = "included-twice"
