-- Class: a secret in a Lua error text. A quoted secret followed by a call (a stray pair of parentheses): Lua's
-- message names the string constant, "(constant '…')".
VirtualHost "meet.example.com"
    authentication = "token"
    component_secret = ("Wv3ConstantSecret")()
