-- A fixture for jitsi-jwt's plugin-era detection, written for these tests: it is not
-- Jitsi's code and does nothing useful. It only carries the textual markers by which
-- PluginEraDetection tells the era of an installed token/util.lib.lua (2025-11).
local Util = {}
Util.__index = Util

function Util.new(module)
    log("error", "'app_secret', 'asap_key_server or 'cacheKeysUrl'
        must be specified")
end
function Util:process_and_verify_token(session) return true end
function Util:verify_room(session, room_address) return false, 'room-does-not-exist' end

return Util
