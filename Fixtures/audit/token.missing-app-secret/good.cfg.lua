-- audit: no app_secret, but a key server (RS256): the token module loads
muc_mapper_domain_base = "meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    asap_key_server = "https://keys.example.com/asap"
Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
