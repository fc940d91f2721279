-- enabled = false is a plain option (global or per host); the loader stores it like any other value
enabled = false
VirtualHost "on.example.com"
	enabled = true
VirtualHost "off.example.com"
