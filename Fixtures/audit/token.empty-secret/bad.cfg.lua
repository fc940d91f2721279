-- audit: app_id and app_secret set to empty strings (a template rendered without its variables)
muc_mapper_domain_base = "meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = ""
    app_secret = ""
Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
