-- audit: an unquoted secret (its name must never be printed)
muc_mapper_domain_base = "meet.example.com"
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme_meet"
    app_secret = Kx7pQ2mZ9vL4wT8nR3bY6cF1hJ5sD0gA
Component "conference.meet.example.com" "muc"
    modules_enabled = { "token_verification" }
