-- A fixture for plugin-era detection: one token host whose plugins are the fake
-- 2025-11 tree next to this file.
plugin_paths = { CFG_CONFIGDIR .. "/prosody-plugins/" }
muc_mapper_domain_base = "meet.example.com"

VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "b7f0c3e9d2a14c55a1f0"

Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
    restrict_room_creation = true
