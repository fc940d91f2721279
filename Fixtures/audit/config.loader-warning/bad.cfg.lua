-- audit: Prosody 13 warns about direct use of the Lua API
muc_mapper_domain_base = "meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = string.rep("9f2c7a1e", 4)
Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
