-- a syntax error aborts the load with Lua's compile message "<chunkname>:<line>: ..."
app_id = "acme_meet"
VirtualHost "meet.example.com"
	app_secret = = "oops"
