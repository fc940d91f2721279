-- shape: jitsi-meet's test deployment style: the main host verifies RS256 tokens from a key server, and an
-- hs256.<domain> host lets tests sign with a shared secret; both join the main MUC.
muc_mapper_domain_base = "meet.example.com"

VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "jitsi"
    asap_key_server = "https://keys.example.com/asap"

VirtualHost "hs256.meet.example.com"
    authentication = "token"
    app_id = "jitsi"
    app_secret = "3e5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e"
    signature_algorithm = "HS256"

Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
