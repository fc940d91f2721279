-- assigning to a name that is a local in scope changes the local, not an option: "admins = admins" below stores nothing
local admins = { "focus@auth.meet.example.com" }
Component "conference.meet.example.com" "muc"
	admins = admins
	owners = admins
