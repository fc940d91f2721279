-- A fixture for jitsi-jwt's plugin-era detection, written for these tests: it is not
-- Jitsi's code and does nothing useful. It only carries the textual markers by which
-- PluginEraDetection tells the era of an installed token/util.lib.lua (2025-09).
local Util = {}
Util.__index = Util

function  Util:process_and_verify_token( session )
    return true
end

function Util:verify_room(session,
                          room_address)
    return false, "room-does-not-exist", "Room does not exist"
end

return Util
