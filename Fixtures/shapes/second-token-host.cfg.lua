-- shape: a second token VirtualHost (its own app and secret) whose users join the main domain's MUC, as an
-- Ansible role renders it when a second brand shares one Jitsi deployment.
plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }
muc_mapper_domain_base = "meet.example.com"
admins = { "focus@auth.meet.example.com" }

VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "5c1d9e7f3a2b4c6d8e0f1a3b5c7d9e1f"
    modules_enabled = { "bosh"; "muc_breakout_rooms"; "muc_lobby_rooms" }
    breakout_rooms_muc = "breakout.meet.example.com"
    lobby_muc = "lobby.meet.example.com"
    main_muc = "conference.meet.example.com"

VirtualHost "video.example.org"
    authentication = "token"
    app_id = "acme_video"
    app_secret = "e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4"

VirtualHost "auth.meet.example.com"
    authentication = "internal_hashed"

Component "conference.meet.example.com" "muc"
    modules_enabled = { "muc_meeting_id"; "muc_domain_mapper"; "token_verification" }

Component "breakout.meet.example.com" "muc"
    modules_enabled = { "muc_meeting_id" }

Component "lobby.meet.example.com" "muc"
    modules_enabled = { "muc_meeting_id" }
