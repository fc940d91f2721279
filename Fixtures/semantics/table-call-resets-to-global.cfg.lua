-- VirtualHost "x" { ... } (table-call form) switches back to "*": options after it are global
VirtualHost "a.example.com" {
	authentication = "token";
	app_id = "table_form";
}
app_secret = "this-is-global-not-a.example.com"
modules_enabled = { "ping" }

VirtualHost "b.example.com"
	app_id = "statement_form"
