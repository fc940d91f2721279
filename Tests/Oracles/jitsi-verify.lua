-- jitsi-verify.lua: reference oracle for how a Jitsi Meet server (its Prosody token
-- plugins) verifies a JWT, written independently of the Swift verifier.
--
-- Usage:  lua5.4 Tests/Oracles/jitsi-verify.lua [--era ERA] < case.json
--   ERA: the plugin era to model (2025-08, 2025-09, 2025-11, 2026-03, 2026-05, 2026-06;
--   default 2026-06, the current plugins). See "Plugin eras" below and the README.
--
-- stdin, ONE JSON object:
--   {"rules": {"xmpp_domain": "meet.example.com", "app_id": ..., "app_secret": ...,
--              "signature_algorithm": ..., "asap_accepted_issuers": [...],
--              "asap_accepted_audiences": [...], "asap_require_room_claim": bool,
--              "allow_empty_token": bool, "enable_domain_verification": bool,
--              "muc_mapper_domain_base": ..., "muc_mapper_domain_prefix": ...,
--              "muc_mapper_domain": ..., "public_key_pem": "-----BEGIN PUBLIC KEY-----..."},
--    "token": "..." | null, "room": "myroom", "tenant": "acme" | null, "now": 1760000000,
--    "room_exists": true | false}   (room_exists: whether jicofo created the room; default true)
-- An absent or null option means "not set in the config" (server defaults apply).
-- public_key_pem stands in for asap_key_server / cache_keys_url: it is the key the
-- server would have fetched, and setting it switches the server into key-server mode.
--
-- stdout, ONE JSON object, keys always in this order:
--   {"accepted":true|false,"stage":"connect"|"join"|null,"condition":...,"code":...,"reason":...}
--   connect failure: condition = SASL condition (not-allowed / not-authorized), code null.
--   join failure:    condition = "not-allowed", code = jitmeet error code or null,
--                    reason = text sent to the client ("Room and token mismatched" if no code).
--   Lua runtime error the real server would hit (e.g. string.lower on a JSON null):
--                    condition = "internal-error", code null, reason = the Lua error
--                    message without its "file:line: " prefix. (The real server logs a
--                    traceback and the client hangs; there is no stanza to report.)
--   Token auth module not loaded (no app_id, or neither app_secret nor a key):
--                    stage "connect", condition "module-not-loaded", reason = the log line.
--   Malformed oracle input: exit status 2 and a message on stderr.
--
-- Spec and sources: Tests/Oracles/README-jitsi-verify.md.
-- Runtime: lua5.4, lua-cjson, lua-luaossl, lua-basexx (the libraries luajwtjitsi uses).
-- Local variable names deliberately match the server's (header, body, auth_room, ...)
-- because Lua puts them into runtime error messages ("(local 'header')").

-- Debian's lua-basexx only installs into the 5.1/5.2 trees; the file is version-neutral.
package.path = package.path .. ";/usr/share/lua/5.2/?.lua;/usr/share/lua/5.1/?.lua"

local cjson      = require "cjson"
local cjson_safe = require "cjson.safe"
local basexx     = require "basexx"
local digest     = require "openssl.digest"
local hmac       = require "openssl.hmac"
local pkey       = require "openssl.pkey"

local NULL = cjson.null

--------------------------------------------------------------------------------
-- Output
--------------------------------------------------------------------------------

local function json_value(v)
	if v == nil then return "null" end
	if type(v) == "boolean" then return v and "true" or "false" end
	return cjson.encode(tostring(v))
end

local function emit(accepted, stage, condition, code, reason)
	io.stdout:write("{\"accepted\":", json_value(accepted),
		",\"stage\":", json_value(stage),
		",\"condition\":", json_value(condition),
		",\"code\":", json_value(code),
		",\"reason\":", json_value(reason), "}\n")
end

local function die_input(msg)
	io.stderr:write("jitsi-verify: bad input: ", msg, "\n")
	os.exit(2)
end

-- "some/file.lua:123: message" -> "message" (errors raised from C carry no position).
local function strip_position(err)
	if type(err) ~= "string" then return tostring(err) end
	return (err:gsub("^[^%s:]+:%d+: ", "", 1))
end

--------------------------------------------------------------------------------
-- Prosody pieces (core/moduleapi.lua option parsing, util/jid.lua without prep)
--------------------------------------------------------------------------------

-- The "config": rules from the input, with JSON null meaning "not set".
local config = {}

local function get_option(name, default_value)
	local value = config[name]
	if value == nil then value = default_value end
	return value
end

local function get_option_scalar(name, default_value)
	local value = get_option(name, default_value)
	if type(value) == "table" then value = value[1] end -- lists: first item only
	return value
end

local function get_option_string(name, default_value)
	local value = get_option_scalar(name, default_value)
	if value == nil then return nil end
	return tostring(value)
end

-- Only true/"true"/1 and false/"false"/0 are understood; anything else is nil
-- (even when a default exists, because the default was already substituted).
local function get_option_boolean(name, default_value)
	local value = get_option_scalar(name, default_value)
	if value == nil then return nil end
	if value == true or value == "true" or value == 1 then return true end
	if value == false or value == "false" or value == 0 then return false end
	return nil
end

local function get_option_array(name, default_value)
	local value = get_option(name, default_value)
	if value == nil then return nil end
	if type(value) ~= "table" then return { value } end
	local copy = {}
	for i = 1, #value do copy[i] = value[i] end
	return copy
end

-- util/jid.lua split/bare/node/join, minus stringprep (the room node given to the
-- oracle is taken to be already prepped, as Prosody's router would have done).
local jid = {}

function jid.split(s)
	if s == nil then return end
	local node, nodepos = s:match("^([^@/]+)@()")
	local host, hostpos = s:match("^([^@/]+)()", nodepos)
	if node ~= nil and host == nil then return nil, nil, nil end
	local resource = s:match("^/(.+)$", hostpos)
	if host == nil or (resource == nil and #s >= hostpos) then return nil, nil, nil end
	return node, host, resource
end

function jid.bare(s)
	local node, host = jid.split(s)
	if node ~= nil and host ~= nil then return node .. "@" .. host end
	return host
end

function jid.node(s)
	return (jid.split(s))
end

function jid.join(node, host, resource)
	if host == nil then return end
	if node ~= nil and resource ~= nil then
		return node .. "@" .. host .. "/" .. resource
	elseif node ~= nil then
		return node .. "@" .. host
	elseif resource ~= nil then
		return host .. "/" .. resource
	end
	return host
end

-- jitsi util.lib.lua helpers
local function ends_with(str, ending)
	return ending == "" or str:sub(-#ending) == ending
end

-- "[tenant]room" -> "tenant", "room"; "room" -> nil, "room"
local function extract_subdomain(room_node)
	local subdomain, room_name = room_node:match("^%[([^%]]+)%](.+)$")
	if not subdomain then room_name = room_node end
	return subdomain, room_name
end

--------------------------------------------------------------------------------
-- luajwtjitsi.lib.lua: verify(token, expectedAlgo, key, acceptedIssuers, acceptedAudiences)
--------------------------------------------------------------------------------

local jwt = {}

local function hmac_of(algo)
	return function(data, key) return hmac.new(key, algo):final(data) end
end

local function rsa_verifier(algo)
	return function(data, signature, key)
		local pubkey = pkey.new(key)
		if pubkey == nil then return false end
		return pubkey:verify(signature, digest.new(algo):update(data))
	end
end

local hs_sign = { HS256 = hmac_of("sha256"), HS384 = hmac_of("sha384"), HS512 = hmac_of("sha512") }

local verifiers = {
	HS256 = function(data, signature, key) return signature == hs_sign.HS256(data, key) end,
	HS384 = function(data, signature, key) return signature == hs_sign.HS384(data, key) end,
	HS512 = function(data, signature, key) return signature == hs_sign.HS512(data, key) end,
	RS256 = rsa_verifier("sha256"),
	RS384 = rsa_verifier("sha384"),
	RS512 = rsa_verifier("sha512"),
}

-- Segments are maximal runs of characters other than '.' and '\'; empty ones vanish.
local function segments_of(token)
	local segments = {}
	for part in token:gmatch("[^\\.]+") do segments[#segments + 1] = part end
	return segments
end

local function decode_parts(token)
	local segments = segments_of(token)
	if #segments ~= 3 then return nil, nil, nil, "Invalid token" end

	local header, herr = cjson_safe.decode(basexx.from_url64(segments[1]))
	if herr then return nil, nil, nil, "Invalid header" end

	local body, berr = cjson_safe.decode(basexx.from_url64(segments[2]))
	if berr then return nil, nil, nil, "Invalid body" end

	local sig, serr = basexx.from_url64(segments[3])
	if serr then return nil, nil, nil, "Invalid signature" end

	return header, body, sig
end

-- What gets signed: the first two segments re-joined with '.'.
local function signing_input(token)
	local segments = segments_of(token)
	return segments[1] .. "." .. segments[2]
end

local function claim_accepted(claim, accepted_list)
	for _, accepted in ipairs(accepted_list) do
		if accepted == "*" or claim == accepted then return true end
	end
	return false
end

function jwt.verify(token, expectedAlgo, key, acceptedIssuers, acceptedAudiences, now)
	if type(token) ~= "string" then return nil, "token argument must be string" end
	if type(expectedAlgo) ~= "string" then return nil, "algorithm argument must be string" end
	if type(key) ~= "string" then return nil, "key argument must be string" end
	if acceptedIssuers ~= nil and type(acceptedIssuers) ~= "table" then
		return nil, "acceptedIssuers argument must be table"
	end
	if acceptedAudiences ~= nil and type(acceptedAudiences) ~= "table" then
		return nil, "acceptedAudiences argument must be table"
	end

	if not verifiers[expectedAlgo] then return nil, "Algorithm not supported" end

	local header, body, sig, err = decode_parts(token)
	if err ~= nil then return nil, err end

	if not header.typ or header.typ ~= "JWT" then return nil, "Invalid typ" end
	if not header.alg or header.alg ~= expectedAlgo then return nil, "Invalid or incorrect alg" end

	if not verifiers[expectedAlgo](signing_input(token), sig, key) then
		return nil, "Invalid signature"
	end

	if body.exp and type(body.exp) ~= "number" then return nil, "exp must be number" end
	if body.nbf and type(body.nbf) ~= "number" then return nil, "nbf must be number" end

	if body.exp and now >= body.exp then
		local extra_msg = ""
		if body.iat then
			extra_msg = ", valid for:" .. tostring(body.exp-body.iat) .. " sec"
		end
		return nil, "Not acceptable by exp (" .. tostring(now-body.exp) .. " sec since expired" .. extra_msg .. ")"
	end

	if body.nbf and now < body.nbf then return nil, "Not acceptable by nbf" end

	if acceptedIssuers ~= nil then
		if body.iss == nil then return nil, "'iss' claim is missing" end
		if not claim_accepted(body.iss, acceptedIssuers) then return nil, "invalid 'iss' claim" end
	end

	if acceptedAudiences ~= nil then
		if body.aud == nil then return nil, "'aud' claim is missing" end
		if not claim_accepted(body.aud, acceptedAudiences) then return nil, "invalid 'aud' claim" end
	end

	return body
end

--------------------------------------------------------------------------------
-- Plugin eras: where the installed plugins' generation changes the outcome.
-- Each function stands for one spot of the era's plugin code, as read from the
-- jitsi-meet history (commit ids in the README); the rest of this file is the
-- current code.
--------------------------------------------------------------------------------

local ERAS = { "2025-08", "2025-09", "2025-11", "2026-03", "2026-05", "2026-06" }
local era_rank = {}
for i, name in ipairs(ERAS) do era_rank[name] = i end

local era = ERAS[#ERAS]
do
	local i = 1
	while arg and arg[i] do
		if arg[i] == "--era" and arg[i + 1] then
			era = arg[i + 1]
			i = i + 2
		else
			die_input("unknown argument " .. tostring(arg[i]))
		end
	end
	if not era_rank[era] then die_input("unknown era " .. tostring(era)) end
end

-- Whether the modelled plugins are of `name` or later.
local function era_since(name)
	return era_rank[era] >= era_rank[name]
end

-- Util.new's log line when there is neither a secret nor a key source (cache_keys_url
-- alone loads the module from 2025-11).
local function era_missing_key_text()
	if era_since("2025-11") then
		return "'app_secret', 'asap_key_server or 'cacheKeysUrl' must be specified"
	end
	return "'app_secret' or 'asap_key_server' must be specified"
end

-- Key-server mode: the header before the first '.'. Returns the decoded header, or nil
-- and the refusal text. Before 2026-03 basexx's (nil, bad char) went straight into
-- cjson.safe.decode, which raises on two arguments.
local function era_key_server_header(segment)
	if era_since("2026-03") then
		local decoded = basexx.from_url64(segment)
		if not decoded then return nil, "Invalid token" end
		local header, err = cjson_safe.decode(decoded)
		if err then return nil, "bad token format" end
		return header
	end
	local header, err = cjson_safe.decode(basexx.from_url64(segment))
	if err then return nil, "bad token format" end
	return header
end

-- The connect-stage answer to a missing, required room claim. Before 2026-05 the text
-- came back in the condition position (and no reason).
local function era_missing_room_claim()
	if era_since("2026-05") then
		return false, "not-authorized", "room claim is missing"
	end
	return false, "'room' claim is missing"
end

-- Whether sub is checked at connect (2026-05 on).
local function era_requires_sub()
	return era_since("2026-05")
end

-- context.room.regex: match the room name against the claim as a Lua pattern. Returns
-- ok, match. Until 2026-06 the call was unprotected (a method call on the name, so Lua
-- calls the claim argument #1 in its message); since then a failure is invalid-regex.
local function era_room_pattern_match(subject, auth_room)
	if era_since("2026-06") then
		return pcall(string.match, subject, auth_room)
	end
	return true, subject:match(auth_room)
end

-- Prosody's SASL <failure/>: the condition becomes an element name (mod_saslauth
-- build_reply), which util/stanza.lua refuses unless it is a plain XML name.
-- Returns nil when the reply can be built, else the error Prosody raises.
local function sasl_failure_error(condition)
	if type(condition) ~= "string" then
		return "invalid tag name: expected string, got " .. type(condition)
	elseif #condition == 0 then
		return "invalid tag name: empty string"
	elseif condition:find("[<>& '\"]") then
		return "invalid tag name: contains invalid characters"
	end
	return nil
end

-- verify_room as it was up to 2025-09-25: no room lookup, no error codes, an allowed
-- empty token let through first, an unparsable address let through, and an unprotected
-- pattern match. Returns true or false.
local function verify_room_2025_08(self, session, room_address)
	if self.allowEmptyToken and session.auth_token == nil then
		return true
	end

	local room = jid.split(room_address)
	if room == nil then
		return true -- only logged
	end

	local auth_room = session.jitsi_meet_room
	if auth_room and type(auth_room) == "string" then
		auth_room = string.lower(auth_room)
	end

	if not self.enableDomainVerification then
		if auth_room and (room ~= auth_room and not ends_with(room, "]" .. auth_room)) and auth_room ~= "*" then
			return false
		end
		return true
	end

	local room_address_to_verify = jid.bare(room_address)
	local room_node = jid.node(room_address)
	local target_subdomain, target_room = extract_subdomain(room_node)

	local room_to_check
	if auth_room == "*" then
		room_to_check = target_room or room_node
	else
		if session.jitsi_meet_context_room
			and (session.jitsi_meet_context_room["regex"] == true or session.jitsi_meet_context_room["regex"] == "true") then
			local target = target_room or room_node
			room_to_check = target:match(auth_room)
		else
			room_to_check = auth_room
		end
		if not room_to_check then
			if not self.requireRoomClaim then
				return true
			end
			return false
		end
	end

	local auth_domain = string.lower(session.jitsi_meet_domain)
	if target_subdomain then
		local subdomain_to_check = auth_domain == "*" and target_subdomain or auth_domain
		if not self.muc_domain_base then
			return false
		end
		return room_address_to_verify == jid.join(
			"[" .. subdomain_to_check .. "]" .. room_to_check, self.muc_domain)
	end
	local domain_to_check
	if auth_domain == "*" then
		domain_to_check = self.muc_domain -- nil without a mapper base: nothing matches
	else
		domain_to_check = self.muc_domain_prefix .. "." .. auth_domain
	end
	return room_address_to_verify == jid.join(room_to_check, domain_to_check)
end

--------------------------------------------------------------------------------
-- token/util.lib.lua
--------------------------------------------------------------------------------

local Util = {}
Util.__index = Util

-- Util.new: reads the options; nil + log line when token auth would not load.
function Util.new()
	local self = setmetatable({}, Util)
	self.appId = get_option_string("app_id")
	self.appSecret = get_option_string("app_secret")
	self.publicKey = get_option_string("public_key_pem") -- asap_key_server / cache_keys_url
	self.signatureAlgorithm = get_option_string("signature_algorithm")
	self.allowEmptyToken = get_option_boolean("allow_empty_token")

	self.muc_domain_prefix = get_option_string("muc_mapper_domain_prefix", "conference")
	self.muc_domain_base = get_option_string("muc_mapper_domain_base")
	if self.muc_domain_base then
		self.muc_domain = get_option_string("muc_mapper_domain",
			self.muc_domain_prefix .. "." .. self.muc_domain_base)
	end
	self.enableDomainVerification = get_option_boolean("enable_domain_verification", true)

	if self.appId == nil then
		return nil, "'app_id' must not be empty"
	end
	if self.appSecret == nil and self.publicKey == nil then
		return nil, era_missing_key_text()
	end

	if self.signatureAlgorithm == nil then
		if self.publicKey ~= nil then
			self.signatureAlgorithm = "RS256"
		elseif self.appSecret ~= nil then
			self.signatureAlgorithm = "HS256"
		end
	end

	self.acceptedIssuers = get_option_array("asap_accepted_issuers", { self.appId })
	self.acceptedAudiences = get_option_array("asap_accepted_audiences", { "*" })
	self.requireRoomClaim = get_option_boolean("asap_require_room_claim", true)
	return self
end

-- Connect stage. Returns true, or false + SASL condition + reason.
function Util:process_and_verify_token(session, now)
	local acceptedIssuers = self.acceptedIssuers

	if session.auth_token == nil then
		if self.allowEmptyToken then return true end
		return false, "not-allowed", "token required"
	end

	local key
	if self.publicKey ~= nil then
		-- key-server mode: the header (up to the first '.') must name a kid, RS family
		local dotFirst = session.auth_token:find("%.")
		if not dotFirst then return false, "not-allowed", "Invalid token" end
		local header, header_error = era_key_server_header(session.auth_token:sub(1, dotFirst - 1))
		if header_error then return false, "not-allowed", header_error end
		local kid = header["kid"]
		if kid == nil then return false, "not-allowed", "'kid' claim is missing" end
		local alg = header["alg"]
		if alg == nil then return false, "not-allowed", "'alg' claim is missing" end
		if alg.sub(alg, 1, 2) ~= "RS" then
			return false, "not-allowed", "'kid' claim only support with RS family"
		end
		key = self.publicKey -- what the key server would have returned for this kid
	elseif self.appSecret ~= nil then
		key = self.appSecret
	end

	if key == nil then
		return false, "not-allowed", "signature verification key is missing"
	end

	local claims, msg = jwt.verify(session.auth_token, self.signatureAlgorithm, key,
		acceptedIssuers, self.acceptedAudiences, now)
	if claims == nil then
		return false, "not-allowed", msg
	end

	if self.requireRoomClaim and claims["room"] == nil then
		return era_missing_room_claim()
	end
	if era_requires_sub() and claims["sub"] == nil then
		return false, "not-authorized", "sub claim is missing"
	end

	session.jitsi_meet_room = claims["room"]
	session.jitsi_meet_domain = claims["sub"]
	if claims["context"] ~= nil then
		if claims["context"]["user"] ~= nil then
			session.jitsi_meet_context_user = claims["context"]["user"]
		end
		if claims["context"]["group"] ~= nil then
			session.jitsi_meet_context_group = claims["context"]["group"]
		end
		if claims["context"]["features"] ~= nil then
			session.jitsi_meet_context_features = claims["context"]["features"]
		end
		if claims["context"]["room"] ~= nil then
			session.jitsi_meet_context_room = claims["context"]["room"]
		end
		if claims["context"]["tenant"] ~= nil then
			session.jitsi_meet_str_tenant = claims["context"]["tenant"]
		end
	elseif claims["user_id"] then
		session.jitsi_meet_context_user = { id = claims["user_id"] }
	end
	return true
end

-- Join stage. Returns true, or false [+ jitmeet error code + reason].
function Util:verify_room(session, room_address, room_exists)
	local room = jid.split(room_address)
	if room == nil then
		return false, "invalid-room-address", "Room address is invalid"
	end

	if not room_exists(jid.join(room, self.muc_domain)) then
		return false, "room-does-not-exist", "Room does not exist"
	end

	if self.allowEmptyToken and session.auth_token == nil then
		-- (a room with allowUnauthenticatedAccess == false would refuse here with
		-- 'authentication-required'; rooms made by jicofo for this oracle never set it)
		return true
	end

	local auth_room = session.jitsi_meet_room
	if auth_room and type(auth_room) == "string" then
		auth_room = string.lower(auth_room)
	end

	if not self.enableDomainVerification then
		if auth_room and (room ~= auth_room and not ends_with(room, "]" .. auth_room)) and auth_room ~= "*" then
			return false, "room-mismatch", "Room does not match the room from token"
		end
		return true
	end

	local room_address_to_verify = jid.bare(room_address)
	local room_node = jid.node(room_address)
	local target_subdomain, target_room = extract_subdomain(room_node)

	local room_to_check
	if auth_room == "*" then
		room_to_check = target_room or room_node
	else
		if session.jitsi_meet_context_room
			and (session.jitsi_meet_context_room["regex"] == true or session.jitsi_meet_context_room["regex"] == "true") then
			-- Lua pattern, not a regex; first capture or the whole match
			local ok, matched = era_room_pattern_match(target_room or room_node, auth_room)
			if not ok then
				return false, "invalid-regex", "Room claim is not a valid Lua pattern"
			end
			room_to_check = matched
		else
			room_to_check = auth_room
		end
		if not room_to_check then
			if not self.requireRoomClaim then
				return true
			end
			return false, "room-name-does-not-match", "Room name cannot be matched to the one from token."
		end
	end

	-- context.tenant vs URL tenant only flags session.jitsi_meet_tenant_mismatch (a
	-- warning); it refuses only rooms with allowUnauthenticatedAccess == false.

	local auth_domain = string.lower(session.jitsi_meet_domain)
	local subdomain_to_check
	if target_subdomain then
		if auth_domain == "*" then
			subdomain_to_check = target_subdomain
		else
			subdomain_to_check = auth_domain
		end
		if not self.muc_domain_base then
			return false, "server-missing-config", "Misconfiguration of server"
		end
		return room_address_to_verify == jid.join(
			"[" .. subdomain_to_check .. "]" .. room_to_check, self.muc_domain)
	else
		if auth_domain == "*" then
			subdomain_to_check = self.muc_domain
		else
			subdomain_to_check = self.muc_domain_prefix .. "." .. auth_domain
		end
		return room_address_to_verify == jid.join(room_to_check, subdomain_to_check)
	end
end

--------------------------------------------------------------------------------
-- Driver
--------------------------------------------------------------------------------

local input_text = io.stdin:read("a")
local ok_input, input = pcall(cjson.decode, input_text or "")
if not ok_input or type(input) ~= "table" then die_input("stdin is not a JSON object") end

local function opt(v)
	if v == NULL then return nil end
	return v
end

-- JSON numbers arrive as floats; a Lua config literal 3 would be an integer.
local function as_config_value(v)
	if v == NULL then return nil end
	if math.type(v) == "float" and math.tointeger(v) then return math.tointeger(v) end
	if type(v) == "table" then
		local t = {}
		for k, x in pairs(v) do t[k] = as_config_value(x) end
		return t
	end
	return v
end

local rules = opt(input.rules) or {}
if type(rules) ~= "table" then die_input("rules must be an object") end
for k, v in pairs(rules) do config[k] = as_config_value(v) end

local token = opt(input.token)
if token ~= nil and type(token) ~= "string" then die_input("token must be a string or null") end
local room_node = opt(input.room)
if type(room_node) ~= "string" then die_input("room must be a string") end
local tenant = opt(input.tenant)
if tenant ~= nil and type(tenant) ~= "string" then die_input("tenant must be a string or null") end
local now = opt(input.now)
if type(now) ~= "number" then die_input("now must be a number") end
now = math.floor(now) -- os.time() is an integer

-- The join stage's checker, as mod_token_verification builds it on the joined MUC (input.join, optional):
--   {"muc": "conference.meet.example.com", "token_verification": true|false,
--    "parent_rules": {<options of the MUC's parent host, as "rules">},
--    "rooms_on": [<MUCs where jicofo created a room of this name>] (default: [muc]; a lobby: the conference MUC too)}
-- Without input.join the connect host's own util checks the join (the single-host shape). Returns the
-- checker (nil when the MUC does not load token_verification or it does not start) and the MUC name.
local function join_stage_checker(join, connect_util)
	join = opt(join)
	if join == nil then return connect_util, nil end
	if type(join) ~= "table" or type(join.muc) ~= "string" then die_input("join.muc must be a string") end
	if not opt(join.token_verification) then return nil, join.muc end
	-- module:context(parent) reads the parent host's options; Util.new reads them through `config`
	local saved = {}
	for k, v in pairs(config) do saved[k] = v end
	for k in pairs(saved) do config[k] = nil end
	for k, v in pairs(opt(join.parent_rules) or {}) do config[k] = as_config_value(v) end
	local checker = Util.new()
	for k in pairs(config) do config[k] = nil end
	for k, v in pairs(saved) do config[k] = v end
	local rooms_on = {}
	for _, name in ipairs(opt(join.rooms_on) or { join.muc }) do rooms_on[name] = true end
	return checker, join.muc, rooms_on
end

local util, load_error = Util.new()
if util == nil then
	emit(false, "connect", "module-not-loaded", nil, load_error)
	os.exit(0)
end

local session = { auth_token = token }

-- Stage A: connect (mod_auth_token -> process_and_verify_token)
local ok, res, condition, reason = pcall(util.process_and_verify_token, util, session, now)
if not ok then
	emit(false, "connect", "internal-error", nil, strip_position(res))
	os.exit(0)
end
if res ~= true then
	local reply_error = sasl_failure_error(condition)
	if reply_error then
		emit(false, "connect", "internal-error", nil, reply_error)
	else
		emit(false, "connect", condition, nil, reason)
	end
	os.exit(0)
end

-- Stage B: join (mod_token_verification -> verify_room) for the room JID the client joins
local join_checker, join_muc, rooms_on = join_stage_checker(input.join, util)
if join_checker == nil then
	-- token_verification is not loaded on the MUC, or does not start: the join checks nothing
	emit(true, nil, nil, nil, nil)
	os.exit(0)
end
local muc = join_muc
	or util.muc_domain
	or get_option_string("muc_mapper_domain")
	or (util.muc_domain_prefix .. "." .. (get_option_string("xmpp_domain") or "localhost"))
local node = tenant and ("[" .. tenant .. "]" .. room_node) or room_node
local room_address = node .. "@" .. muc .. "/oracle"

local room_created = opt(input.room_exists) ~= false

local function room_exists(room_jid)
	-- jicofo created the room (unless told otherwise): on the MUC the client joins (join given), else at the
	-- mapper's MUC, which needs the base
	if not room_created then return false end
	if join_muc then
		local room_node_part, room_host = jid.split(room_jid)
		return room_node_part == node and rooms_on[room_host] == true
	end
	return room_jid ~= nil and join_checker.muc_domain_base ~= nil
end

local verify_room = era_since("2025-09") and join_checker.verify_room or verify_room_2025_08
local ok2, verified, code, join_reason = pcall(verify_room, join_checker, session, room_address, room_exists)
if not ok2 then
	emit(false, "join", "internal-error", nil, strip_position(verified))
	os.exit(0)
end
if verified and not room_created and not era_since("2025-09") then
	-- the token passed; Prosody's restrict_room_creation (Debian, docker) stops the creation
	emit(false, "join", "not-allowed", nil, "Room creation is restricted")
elseif verified then
	emit(true, nil, nil, nil, nil)
else
	if not code then join_reason = "Room and token mismatched" end
	emit(false, "join", "not-allowed", code, join_reason)
end
