-- source of payload.luac; regenerate with: luac5.4 -s -o payload.luac payload.lua
app_secret = "from-bytecode"
VirtualHost "bytecode.example.com"
