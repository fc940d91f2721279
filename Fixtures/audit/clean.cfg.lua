-- audit: a clean token deployment (no findings when the file modes are 0640)
muc_mapper_domain_base = "meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "9f2c7a1e5b8d4f60a3c1e7b92d4f8a6c"
    allow_empty_token = false
    enable_domain_verification = true
    asap_accepted_issuers = { "acme_meet" }
    asap_accepted_audiences = { "jitsi" }
    signature_algorithm = "HS256"
Component "conference.meet.example.com" "muc"
    modules_enabled = { "muc_meeting_id"; "muc_domain_mapper"; "token_verification" }
VirtualHost "auth.meet.example.com"
    authentication = "internal_hashed"
