-- the same table reached on different paths is printed in full each time (options and hosts share it by reference)
local mods = { "bosh", "websocket", "ping" }
local admin_list = { "focus@auth.meet.example.com" }
modules_enabled = mods
VirtualHost "meet.example.com"
	modules_enabled = mods
	both = { first = admin_list, second = admin_list }
Component "conference.meet.example.com" "muc"
	admins = admin_list
