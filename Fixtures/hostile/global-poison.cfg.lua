-- escape attempt: overwrite standard functions in the shared _G that the host may use later
_G.tostring = function() return "pwned" end
_G.pairs = nil
string.format = nil
app_id = "acme_meet"
