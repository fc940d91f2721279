-- options set through the table-call form are not tracked for duplicates, neither among themselves nor against later statements
VirtualHost "meet.example.com" { app_id = "one" }
VirtualHost "meet.example.com" { app_id = "two" }
VirtualHost "meet.example.com"
	app_id = "three"
Component "conference.meet.example.com" "muc" { muc_room_locking = true }
Component "conference.meet.example.com" "muc" { muc_room_locking = false }
