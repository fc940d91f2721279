-- re-declaring a Component without a module resets component_module to "component" (external); options merge; the last module wins
Component "conference.example.com" "muc"
	muc_room_locking = false
Component "conference.example.com"
	restrict_room_creation = true
Component "polls.example.com" "muc"
Component "polls.example.com" "polls_component"
