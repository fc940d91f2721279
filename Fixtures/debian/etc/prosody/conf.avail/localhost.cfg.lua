-- Section for localhost (available, but not linked into conf.d)

VirtualHost "localhost"
	allow_registration = false
