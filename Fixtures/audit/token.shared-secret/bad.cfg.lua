-- audit: two token hosts with one secret
muc_mapper_domain_base = "meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "9f2c7a1e5b8d4f60a3c1e7b92d4f8a6c"
VirtualHost "video.example.com"
    authentication = "token"
    app_id = "acme_video"
    app_secret = "9f2c7a1e5b8d4f60a3c1e7b92d4f8a6c"
    muc_mapper_domain_base = "video.example.com"
Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
Component "conference.video.example.com" "muc"
    modules_enabled = { "token_verification" }
