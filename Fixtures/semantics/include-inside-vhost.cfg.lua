-- an Include inside a VirtualHost block: the included file starts in "*" (its options are global); the parent's section is unchanged afterwards
VirtualHost "meet.example.com"
	authentication = "token"
	Include "include-inside-vhost.d/fragment.cfg.lua"
	app_id = "still-in-meet.example.com"
