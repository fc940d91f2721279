-- shape: an older hand-written config without muc_mapper_domain_base: current plugins refuse every token join.
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "6f8a0c2e4a6c8e0a2c4e6a8c0e2a4c6e"

Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
