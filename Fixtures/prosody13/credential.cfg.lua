-- 13.0: Credential("name") reads $CREDENTIALS_DIRECTORY/name (systemd LoadCredential); fails on 0.12 (Credential is nil)
VirtualHost "meet.example.com"
	authentication = "token"
	app_id = "acme_meet"
	app_secret = Credential("jitsi_app_secret")
