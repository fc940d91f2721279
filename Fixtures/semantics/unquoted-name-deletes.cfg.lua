-- an unquoted value (authentication = token) reads an undefined global: nil, which deletes the earlier host value (the host then inherits the global one)
authentication = "internal_hashed"
VirtualHost "meet.example.com"
	authentication = "token"
	app_id = acme_meet
	authentication = token
