-- A fixture for jitsi-jwt's plugin-era detection, written for these tests: it is not
-- Jitsi's code and does nothing useful. It only carries the textual markers by which
-- PluginEraDetection tells the era of an installed token/util.lib.lua (2026-03).
local Util = {}
Util.__index = Util

function Util.new(module) log("error", "... or 'cacheKeysUrl' must be specified") end
function Util:process_and_verify_token(session)
    local headerPartEncoded = session.header
    if not headerPartEncoded
    then return false end
    return true
end
function Util:verify_room(session, room_address) return false, 'room-does-not-exist' end

return Util
