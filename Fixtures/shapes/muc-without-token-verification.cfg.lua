-- shape: token authentication on the host, but the MUC does not load token_verification: room claims are
-- never checked at join.
muc_mapper_domain_base = "meet.example.com"

VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e"

Component "conference.meet.example.com" "muc"
    modules_enabled = { "muc_meeting_id"; "muc_domain_mapper" }
