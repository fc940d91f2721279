-- Class: a secret in a Lua error text. The unquoted hex secret is a malformed number; Lua's message quotes it.
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = "acme"
    app_secret = 3f9a7c1e5b8d4f60a3c1e7b92d4f8a6c
