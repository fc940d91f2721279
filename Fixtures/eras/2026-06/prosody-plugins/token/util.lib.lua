-- A fixture for jitsi-jwt's plugin-era detection, written for these tests: it is not
-- Jitsi's code and does nothing useful. It only carries the textual markers by which
-- PluginEraDetection tells the era of an installed token/util.lib.lua (2026-06).
local Util = {}
Util.__index = Util

function Util.new(module) log("error", "... or 'cacheKeysUrl' must be specified") end
function Util:process_and_verify_token(session)
    if not headerPartEncoded then return false end
    if session.sub == nil then return false, "not-authorized", "sub claim is missing" end
    return true
end
function Util:verify_room(session, room_address)
    if session.bad then return false,
        'invalid-regex' end
    return false, 'room-does-not-exist'
end

return Util
