-- VirtualHost after an external Component (no module) of the same name is an error (message says "external")
Component "meet.example.com"
	component_secret = "x"
VirtualHost "MEET.example.com"
