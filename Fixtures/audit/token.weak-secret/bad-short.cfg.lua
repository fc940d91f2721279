-- audit: a random but short secret (20 bytes)
muc_mapper_domain_base = "meet.example.com"
app_secret = "b7f0c3e9d2a14c55a1f0"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
