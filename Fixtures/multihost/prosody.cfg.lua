-- Multi-host Jitsi config: several token VirtualHosts (different secrets/algorithms), a disabled one, a shared secret and global fallbacks
plugin_paths = { "/usr/share/jitsi-meet/prosody-plugins/" }

admins = { "focus@auth.meet.example.com" }
modules_enabled = { "disco"; "roster"; "saslauth"; "tls"; "ping"; "posix" }

-- Global token fallbacks: any host that sets authentication = "token" but no
-- app_id/app_secret of its own inherits these.
app_id = "acme_global"
app_secret = "global-fallback-secret-0123456789abcdef"
signature_algorithm = "HS256"
asap_accepted_audiences = { "*" }
enable_domain_verification = true
muc_mapper_domain_base = "meet.example.com"

-- one secret shared by two brands, kept in a local so it is written once
local shared_secret = "Sh4red-Brand-Secret-" .. string.rep("x", 4) .. "-2026"

-- Main site: tenants are addressed as meet.example.com/<tenant>/<room>
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW"
    signature_algorithm = "HS256"
    asap_accepted_issuers = { "acme_meet", "acme_mobile" }
    asap_accepted_audiences = { "jitsi", "acme_meet" }
    modules_enabled = { "bosh"; "websocket"; "smacks"; "muc_lobby_rooms"; "muc_breakout_rooms" }
    main_muc = "conference.meet.example.com"
    lobby_muc = "lobby.meet.example.com"

-- Second brand: HS512, tenant-aware domain verification
VirtualHost "video.brand-a.example"
    authentication = "token"
    app_id = "brand_a"
    app_secret = shared_secret
    signature_algorithm = "HS512"
    asap_accepted_issuers = { "brand_a" }
    muc_mapper_domain_base = "video.brand-a.example"
    main_muc = "conference.video.brand-a.example"

-- Third brand shares brand A's secret (and algorithm left to the global HS256)
VirtualHost "video.brand-b.example"
    authentication = "token"
    app_id = "brand_b"
    app_secret = shared_secret
    asap_require_room_claim = false
    muc_mapper_domain_base = "video.brand-b.example"

-- Token host relying entirely on global app_id/app_secret/signature_algorithm
VirtualHost "events.example.com"
    authentication = "token"
    allow_empty_token = true
    enable_domain_verification = false

-- Old host, switched off but still configured
VirtualHost "legacy.example.com"
    enabled = false
    authentication = "token"
    app_id = "legacy"
    app_secret = "old-secret-do-not-use"
    signature_algorithm = "HS384"

-- Key-server (RS256) host: no app_secret
VirtualHost "partners.example.com"
    authentication = "token"
    app_id = "partners"
    app_secret = nil -- explicitly removed; the global fallback still applies on lookup
    asap_key_server = "https://keys.example.com/asap"
    signature_algorithm = "RS256"
    asap_accepted_issuers = { "partner-idp-1", "partner-idp-2" }
    muc_mapper_domain_base = "partners.example.com"

VirtualHost "guest.meet.example.com"
    authentication = "jitsi-anonymous"
    c2s_require_encryption = false

VirtualHost "auth.meet.example.com"
    authentication = "internal_hashed"

for _, domain in ipairs({ "meet.example.com", "video.brand-a.example", "video.brand-b.example" }) do
    Component ("conference." .. domain) "muc"
        modules_enabled = { "muc_meeting_id"; "muc_domain_mapper"; "token_verification" }
        admins = { "focus@auth.meet.example.com" }
        muc_room_locking = false
        token_verification_allowlist = { "recorder.meet.example.com" }
end

Component "lobby.meet.example.com" "muc"
    storage = "memory"
    muc_room_locking = false

Component "focus.meet.example.com" "client_proxy"
    target_address = "focus@auth.meet.example.com"
