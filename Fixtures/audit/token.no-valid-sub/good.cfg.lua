-- audit: the MUC is named rooms.<domain> and the mapper prefix says so
muc_mapper_domain_base = "meet.example.com"
muc_mapper_domain_prefix = "rooms"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "9f2c7a1e5b8d4f60a3c1e7b92d4f8a6c"
Component "rooms.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
