-- the lower-case aliases host, component and include exist (as do Host and VirtualHost)
host "a.example.com"
	which = "host"
Host "b.example.com"
	which = "Host"
component "c.example.com" "muc"
	which = "component"
include "directive-aliases.d/extra.cfg.lua"
