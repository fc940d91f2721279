-- audit: a token VirtualHost without app_secret or a key server
muc_mapper_domain_base = "meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
