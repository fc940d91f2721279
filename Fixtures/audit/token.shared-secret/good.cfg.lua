-- audit: two token hosts, each with its own secret
muc_mapper_domain_base = "meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "9f2c7a1e5b8d4f60a3c1e7b92d4f8a6c"
VirtualHost "video.example.com"
    authentication = "token"
    app_id = "acme_video"
    app_secret = "0d6e3b9f1a4c7e2b5d8f0a3c6e9b1d4f"
    muc_mapper_domain_base = "video.example.com"
Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
Component "conference.video.example.com" "muc"
    modules_enabled = { "token_verification" }
