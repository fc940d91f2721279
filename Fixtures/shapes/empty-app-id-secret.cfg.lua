-- shape: a template rendered without its variables: app_id and app_secret are empty strings, which the token
-- plugins accept (they test only for nil), so the empty key signs valid tokens.
muc_mapper_domain_base = "meet.example.com"

VirtualHost "meet.example.com"
    authentication = "token"
    app_id = ""
    app_secret = ""

Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
