-- audit: token_verification only on the conference MUC
muc_mapper_domain_base = "meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "9f2c7a1e5b8d4f60a3c1e7b92d4f8a6c"
    breakout_rooms_muc = "breakout.meet.example.com"
    modules_enabled = { "muc_breakout_rooms" }
Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
Component "breakout.meet.example.com" "muc"
    modules_enabled = { "muc_meeting_id" }
