-- shape: a jigasi/JaaS-style token host beside the main one: tokens are RS256, keys come from a key server by kid,
-- and its users join rooms on the main MUC.
muc_mapper_domain_base = "meet.example.com"

VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"

VirtualHost "jigasi.meet.example.com"
    authentication = "token"
    app_id = "vpaas-magic-cookie-0123"
    asap_key_server = "https://keys.example.com/asap"
    asap_accepted_issuers = { "chat" }
    asap_accepted_audiences = { "jitsi" }

Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification"; "muc_domain_mapper" }
