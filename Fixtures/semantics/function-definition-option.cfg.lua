-- "function f() end" at top level assigns the global f, so it is stored as a function-valued option; local functions are not options
function custom_hook(event) return event end
local function helper() return "not an option" end
plain = helper()
VirtualHost "hooks.example.com"
	function on_connect() end
