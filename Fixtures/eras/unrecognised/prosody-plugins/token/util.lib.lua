-- A fixture for plugin-era detection: a token/util.lib.lua that is not the token
-- library at all (no process_and_verify_token / verify_room), so no era is told from it.
return {}
