-- 13.0: calling an option proxy, modules_enabled { ... }, appends; on 0.12 it is "attempt to call a nil value (global 'modules_enabled')"
modules_enabled = { "disco", "ping" }
VirtualHost "meet.example.com"
	modules_enabled = { "bosh" }
	modules_enabled { "muc_lobby_rooms", "token_verification" }
