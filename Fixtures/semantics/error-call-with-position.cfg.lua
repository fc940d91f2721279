-- error("message") from the config gets the config's position prefix
app_id = "acme_meet"
error("refusing to load: app_secret missing")
