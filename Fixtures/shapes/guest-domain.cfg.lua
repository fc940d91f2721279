-- shape: docker-jitsi-meet with ENABLE_AUTH=1, AUTH_TYPE=jwt and ENABLE_GUESTS=1 (written from scratch): the token
-- host meet.jitsi, an anonymous guest domain, and the MUC prefix "muc".
muc_mapper_domain_base = "meet.jitsi"
muc_mapper_domain_prefix = "muc"
asap_accepted_issuers = { "jitsi" }
asap_accepted_audiences = { "jitsi" }

VirtualHost "meet.jitsi"
    authentication = "token"
    app_id = "jitsi"
    app_secret = "7d2f9a4c6e8b0d1f3a5c7e9b1d3f5a7c"
    allow_empty_token = false
    enable_domain_verification = true
    modules_enabled = { "bosh"; "websocket"; "muc_lobby_rooms"; "muc_breakout_rooms" }
    main_muc = "muc.meet.jitsi"
    lobby_muc = "lobby.meet.jitsi"
    breakout_rooms_muc = "breakout.meet.jitsi"

VirtualHost "guest.meet.jitsi"
    authentication = "jitsi-anonymous"
    c2s_require_encryption = false

Component "muc.meet.jitsi" "muc"
    modules_enabled = { "muc_meeting_id"; "token_verification"; "muc_domain_mapper" }

Component "lobby.meet.jitsi" "muc"
    modules_enabled = { "muc_meeting_id" }

Component "breakout.meet.jitsi" "muc"
    modules_enabled = { "muc_meeting_id" }
