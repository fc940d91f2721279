-- the whole file is Lua: locals, <const>, local functions, loops, string building, table.concat and arithmetic are evaluated; only globals become options
local domain <const> = "meet.example.com"
local function sub(name) return name .. "." .. domain end
local parts = {}
for i = 1, 3 do
	parts[#parts + 1] = ("s%d"):format(i * 7)
end
local secret = table.concat(parts, "-") .. "-" .. string.upper("abc") .. string.rep("!", 2)

muc_mapper_domain_base = domain
main_muc = sub("conference")
-- options cannot be read back in 0.12 (admins[#admins + 1] = ... would fail), so build lists in a local
local list = {}
for _, who in ipairs({ "focus", "jvb" }) do list[#list + 1] = who .. "@" .. sub("auth") end
unlimited_jids = list
max_size = 10 * 1024 * 1024
ratio = 3 / 4
if #domain > 5 then big_domain = true else big_domain = false end
local n = 0
while n < 10 do n = n + 3 end
counted = n

VirtualHost (domain)
	app_secret = secret
	app_id = ("acme_" .. "meet"):gsub("_", "-")
