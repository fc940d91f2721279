-- _G.x = v sets a real Lua global (no option); reading x later gives that value, unlike options
_G.shared_secret = "set-through-_G"
app_secret = shared_secret
_G.app_id = "only-in-_G"
app_id_read = app_id
