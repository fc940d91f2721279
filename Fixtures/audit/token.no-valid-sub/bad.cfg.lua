-- audit: the MUC is named rooms.<domain> but the mapper prefix is left at "conference"
muc_mapper_domain_base = "meet.example.com"
muc_mapper_domain = "rooms.meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "9f2c7a1e5b8d4f60a3c1e7b92d4f8a6c"
Component "rooms.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
