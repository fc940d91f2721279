-- audit: a well-known example secret
muc_mapper_domain_base = "meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = "Example_App_Secret"
Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
