-- shape: token_verification loaded on the conference, breakout and lobby MUCs alike (a copied modules_enabled).
muc_mapper_domain_base = "meet.example.com"

VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "2c4e6a8c0e2a4c6e8a0c2e4a6c8e0a2c"
    modules_enabled = { "muc_breakout_rooms"; "muc_lobby_rooms" }
    breakout_rooms_muc = "breakout.meet.example.com"
    lobby_muc = "lobby.meet.example.com"

Component "conference.meet.example.com" "muc"
    modules_enabled = { "muc_meeting_id"; "token_verification" }

Component "breakout.meet.example.com" "muc"
    modules_enabled = { "muc_meeting_id"; "token_verification" }

Component "lobby.meet.example.com" "muc"
    modules_enabled = { "muc_meeting_id"; "token_verification" }
