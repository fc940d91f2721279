-- audit: options the MUC's own modules read belong under the Component
muc_mapper_domain_base = "meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "9f2c7a1e5b8d4f60a3c1e7b92d4f8a6c"
    asap_accepted_issuers = { "acme_meet", "acme_mobile" }
Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification"; "muc_domain_mapper" }
    token_verification_allowlist = { "recorder.meet.example.com" }
    muc_mapper_domain_base = "meet.example.com"
