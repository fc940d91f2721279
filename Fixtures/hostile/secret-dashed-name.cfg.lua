-- Class: a secret in a Lua error text. An unquoted dashed value is arithmetic on undefined globals: "(global 'Kx7…')".
VirtualHost "meet.example.com"
    authentication = "token"
    app_secret = Kx7DashedSecret-pQ2-zz9
