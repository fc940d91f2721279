-- assigning __currenthost switches the section without marking it defined (and is not an option); reading it returns the current section name
__currenthost = "sneaky.example.com"
app_id = "sneaky"
__currenthost = "*"
global_again = true
VirtualHost "real.example.com"
	__currenthost = "other.example.com"
	app_id = "goes-to-other"
current = __currenthost
