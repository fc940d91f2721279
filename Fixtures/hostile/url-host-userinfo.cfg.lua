-- Class: join URLs. A VirtualHost name pasted into https://HOST/room opens attacker.example (the part before @ is
-- user info). No URL may be built from it.
muc_mapper_domain_base = "meet.example.com@attacker.example"
VirtualHost "meet.example.com@attacker.example"
    authentication = "token"
    app_id = "acme"
    app_secret = "k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW"
