-- assigning Include/RunScript/Host etc. replaces the function in the env and creates no option
Include = "conf.d/*.cfg.lua"
RunScript = "helper.lua"
host = "not-an-option"
include_value = Include
VirtualHost "still-works.example.com"
	app_id = "x"
