-- Component "c" "muc" { ... } and Component "e" { ... } also switch back to "*": following options are global
Component "conference.example.com" "muc" {
	modules_enabled = { "token_verification" };
	restrict_room_creation = true;
}
muc_room_locking = false

Component "gateway.example.com" {
	component_secret = "external-secret";
}
component_ports = { 5347 }
