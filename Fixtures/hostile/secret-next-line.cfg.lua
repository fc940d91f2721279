-- Class: a secret in a Lua error text, the value on the line after the option's name.
VirtualHost "meet.example.com"
    authentication = "token"
    app_secret =
        Mn4NextLineSecret-x
