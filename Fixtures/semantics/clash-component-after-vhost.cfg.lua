-- Component after a VirtualHost of the same name is an error
VirtualHost "meet.example.com"
	authentication = "token"
Component "meet.example.com" "muc"
