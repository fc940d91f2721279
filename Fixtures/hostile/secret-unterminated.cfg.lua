-- Class: a secret in a Lua error text. A missing closing quote: "unfinished string near '"…'".
VirtualHost "meet.example.com"
    authentication = "token"
    app_secret = "Zq8UnterminatedSecretValue77
