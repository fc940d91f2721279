-- VirtualHost() without a name: "Host must have a name" at the caller's line
app_id = "before"
VirtualHost()
