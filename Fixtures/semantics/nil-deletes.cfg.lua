-- assigning nil deletes an option (and counts as a duplicate assignment)
app_secret = "to-be-removed"
app_id = "kept"
app_secret = nil
VirtualHost "meet.example.com"
	app_secret = "host-secret"
	app_secret = nil
	never_set = nil
