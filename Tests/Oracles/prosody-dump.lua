-- prosody-dump.lua: reference oracle for jitsi-jwt's Prosody config reader.
--
-- Usage: lua5.4 Tests/Oracles/prosody-dump.lua [--prosody LIBDIR] [--hosts] CONFIG_PATH
--
-- Loads CONFIG_PATH with the UNMODIFIED loader of the Prosody whose Lua sources are in LIBDIR
-- (default /usr/lib/prosody, Debian 12's 0.12.3; /opt/prosody13/usr/lib/prosody holds 13.0.1,
-- unpacked by .ci/install-prosody13), set up the way Debian's /usr/bin/prosody and
-- util/startup.lua (init_global_state + read_config) of that release set things up, and prints
-- the resulting config table as JSON (spec: Tests/Oracles/README-prosody-dump.md).
-- On failure prints the loader's error message to stderr and exits 1.
-- NOT a sandbox: the config runs with the full Lua standard library, like in Prosody.

-- Capture everything the dumper uses before any config code runs (a config can
-- overwrite _G.tostring, string.format, ...).
local type, next, tostring, pcall, select = type, next, tostring, pcall, select
local rawget, rawequal = rawget, rawequal
local s_format, s_byte, s_sub, s_find, s_match = string.format, string.byte, string.sub, string.find, string.match
local t_concat, t_sort = table.concat, table.sort
local m_type, m_huge = math.type, math.huge
local utf8_len = utf8.len
local io_stdout, io_stderr, io_open = io.stdout, io.stderr, io.open
local os_exit, os_setlocale = os.exit, os.setlocale
local real_print, io_output = print, io.output

-- `--hosts` prints one line per VirtualHost and Component (name, authentication or module, app_id), about what
-- `jitsi-jwt hosts` prints, instead of the JSON dump: the benchmark's baseline (Tests/Benchmarks/run.sh).
local library_dir, hosts_mode, config_path = "/usr/lib/prosody", false, nil
do
	local i = 1
	if arg and arg[i] == "--prosody" and arg[i + 1] then library_dir, i = arg[i + 1], i + 2 end
	if arg and arg[i] == "--hosts" then hosts_mode, i = true, i + 1 end
	config_path = arg and arg[i]
	if not config_path or arg[i + 1] ~= nil then
		io_stderr:write("usage: lua5.4 prosody-dump.lua [--prosody LIBDIR] [--hosts] CONFIG_PATH\n")
		os_exit(2)
	end
end
local release
do
	local file = io_open(library_dir .. "/prosody.version")
	release = file and file:read("l")
	if file then file:close() end
	if not release then
		io_stderr:write("prosody-dump.lua: no Prosody in ", library_dir, "\n")
		os_exit(2)
	end
end
-- 13.x names its modules prosody.util.*, prosody.core.* (its loader.lua maps them onto the files).
local is13 = release:match("^13%.") ~= nil
local prefix = is13 and "prosody." or ""
local ipairs = ipairs

---------------------------------------------------------------------------
-- Environment as /usr/bin/prosody (Debian 0.12.3 and 13.0.1) builds it; CFG_SOURCEDIR is what the
-- installed package says, wherever the sources were unpacked.
---------------------------------------------------------------------------
CFG_SOURCEDIR = '/usr/lib/prosody'
CFG_CONFIGDIR = '/etc/prosody'
CFG_PLUGINDIR = '/usr/lib/prosody/modules/'
CFG_DATADIR = '/var/lib/prosody'

do -- /usr/bin/prosody lines 20-37: our libraries first, relative entries dropped
	local function is_relative(path)
		return path:sub(1, 1) ~= "/"
	end
	local function filter_relative_paths(path)
		if is_relative(path) then return "" end
	end
	local function sanitise_paths(paths)
		return (paths:gsub("[^;]+;?", filter_relative_paths):gsub(";;+", ";"))
	end
	package.path = sanitise_paths(library_dir .. "/?.lua;" .. package.path)
	package.cpath = sanitise_paths(library_dir .. "/?.so;" .. package.cpath)
end
if is13 and not pcall(require, "prosody.loader") then -- /usr/bin/prosody 13.0.1 lines 55-57
	pcall(require, "loader")
end
if os.getenv("HOME") then
	CFG_DATADIR = CFG_DATADIR:gsub("^~", os.getenv("HOME"))
end

-- After util.argparse consumed "--config PATH", Prosody's arg table only keeps
-- the interpreter and script entries.
arg = { [-1] = "lua5.4", [0] = "/usr/bin/prosody" }

-- util/startup.lua: module-level prosody table, parse_args, init_global_state
local prosody = { events = require(prefix .. "util.events").new() }
local configmanager = require(prefix .. "core.configmanager")
prosody.process_type = "prosody"
prosody.opts = { config = config_path }
prosody.bare_sessions = {}
prosody.full_sessions = {}
prosody.hosts = {}
bare_sessions = prosody.bare_sessions
full_sessions = prosody.full_sessions
hosts = prosody.hosts
prosody.paths = { source = CFG_SOURCEDIR, config = CFG_CONFIGDIR or ".",
	plugins = CFG_PLUGINDIR or "plugins", data = "data" }
prosody.arg = _G.arg
local logger = require(prefix .. "util.logger")
_G.log = logger.init("general")
prosody.log = logger.init("general")
prosody.platform = "unknown" -- detect_platform
if os.getenv("WINDIR") then
	prosody.platform = "windows"
elseif package.config:sub(1, 1) == "/" then
	prosody.platform = "posix"
end
prosody.installed = nil -- detect_installed
if CFG_SOURCEDIR and (prosody.platform == "windows" or CFG_SOURCEDIR:match("^/")) then
	prosody.installed = true
end
_G.prosody = prosody

-- read_config (with --config PATH; the CFG_CONFIGDIR.."/"..PATH fallback is not used:
-- the oracle always names the file explicitly)
do
	local file = io_open(config_path)
	if file then
		file:close()
		prosody.config_file = config_path
		prosody.paths.config = config_path:match("^(.*)[\\/][^\\/]*$")
		CFG_CONFIGDIR = prosody.paths.config
	end
	prosody.config_file = config_path
	if is13 then -- 13.0's read_config: Credential() reads $CREDENTIALS_DIRECTORY, else fails
		local credentials_directory = os.getenv("CREDENTIALS_DIRECTORY")
		if credentials_directory then
			configmanager.set_credentials_directory(credentials_directory)
		else
			configmanager.set_credential_fallback_mode("error")
		end
	end
end

---------------------------------------------------------------------------
-- Load. Config output (print/io.write) goes to stderr so stdout stays JSON.
---------------------------------------------------------------------------
local function stderr_print(...)
	local n = select("#", ...)
	local parts = {}
	for i = 1, n do parts[i] = tostring((select(i, ...))) end
	io_stderr:write(t_concat(parts, "\t"), "\n")
end
local io_table = io
_G.print = stderr_print
io_output(io_stderr)
io_table.stdout = io_stderr

local call_ok, ok, level, err = pcall(configmanager.load, config_path)

_G.print = real_print
io_output(io_stdout)
io_table.stdout = io_stdout
os_setlocale("C") -- a config may have changed it; number formatting must be "C"

local function fail(message)
	-- tostring() runs a __tostring metamethod of an error object; if that raises,
	-- report it instead of crashing with a traceback.
	local tostring_ok, text = pcall(tostring, message)
	if not tostring_ok then
		text = "tostring(error object) failed: " .. (type(text) == "string" and text or type(text))
	end
	io_stderr:write(text, "\n")
	io_stderr:flush()
	os_exit(1)
end
if not call_ok then
	-- configmanager.load itself raised (outside the parser's pcall), e.g. a
	-- main config that is a directory. Prosody would crash; we report the error.
	fail(ok)
end
if not ok then
	fail(err)
end
local warnings = err or {}
local config = configmanager.getconfig()

---------------------------------------------------------------------------
-- JSON dump (byte-exact spec, see README-prosody-dump.md)
---------------------------------------------------------------------------
local MAX_DEPTH = 64

local function is_utf8(s)
	return utf8_len(s) ~= nil -- strict: no overlongs, surrogates, > U+10FFFF
end

local function hex(s)
	local out = {}
	for i = 1, #s do out[i] = s_format("%02x", s_byte(s, i)) end
	return t_concat(out)
end

local function bytes_less(a, b) -- plain unsigned byte comparison
	if a == b then return false end
	local la, lb = #a, #b
	local n = la < lb and la or lb
	for i = 1, n do
		local x, y = s_byte(a, i), s_byte(b, i)
		if x ~= y then return x < y end
	end
	return la < lb
end

local escapes = { [0x22] = '\\"', [0x5c] = '\\\\', [0x08] = "\\b", [0x0c] = "\\f",
	[0x0a] = "\\n", [0x0d] = "\\r", [0x09] = "\\t" }

local function json_string(s)
	local out, n = {}, 0
	local start = 1
	for i = 1, #s do
		local c = s_byte(s, i)
		if c < 0x20 or c == 0x22 or c == 0x5c then
			n = n + 1; out[n] = s_sub(s, start, i - 1)
			n = n + 1; out[n] = escapes[c] or s_format("\\u%04x", c)
			start = i + 1
		end
	end
	n = n + 1; out[n] = s_sub(s, start)
	-- What a terminal would act on is escaped too: DEL, C1 (U+0080-U+009F), the bidi marks, embeddings, overrides
	-- and isolates, zero-width characters (U+200B-U+200D, U+FEFF) and U+2028/U+2029 (the strings here are valid
	-- UTF-8; others are dumped as hex).
	local text = t_concat(out):gsub("\127", "\\u007f")
		:gsub("\194([\128-\159])", function (c) return s_format("\\u%04x", s_byte(c)) end)
		:gsub("\216\156", "\\u061c")
		:gsub("\226\128([\139-\143\168-\174])", function (c) return s_format("\\u%04x", 0x2000 + s_byte(c) - 0x80) end)
		:gsub("\226\129([\166-\169])", function (c) return s_format("\\u%04x", 0x2040 + s_byte(c) - 0x80) end)
		:gsub("\239\187\191", "\\ufeff")
	return '"' .. text .. '"'
end

local function float_text(x) -- Lua 5.4 tostring() of a finite float ("%.14g" + ".0")
	local s = s_format("%.14g", x)
	if s_find(s, "^[-0-9]*$") then s = s .. ".0" end
	return s
end

local function key_text(k)
	local tk = type(k)
	if tk == "string" then
		if is_utf8(k) then return k end
		return "$hex:" .. hex(k)
	elseif tk == "number" then
		if m_type(k) == "integer" then return s_format("%d", k) end
		if k ~= k then return "nan" end
		if k == m_huge then return "inf" end
		if k == -m_huge then return "-inf" end
		return float_text(k)
	elseif tk == "boolean" then
		return k and "true" or "false"
	else
		return "<" .. tk .. ">"
	end
end

local function lua_type_object(t, indent, extra_key, extra_value)
	local inner = indent .. "  "
	local s = "{\n" .. inner .. '"$lua_type": ' .. json_string(t)
	if extra_key then
		s = s .. ",\n" .. inner .. json_string(extra_key) .. ": " .. json_string(extra_value)
	end
	return s .. "\n" .. indent .. "}"
end

local dump_value

-- Prints table t as an object (force_object) or array/object per the spec.
-- path: set of tables currently being printed (ancestors, including t).
local function dump_table(t, indent, depth, path, force_object)
	local keys, count = {}, 0
	local all_int, max_int = true, 0
	local k = next(t)
	while k ~= nil do
		count = count + 1
		keys[count] = k
		if m_type(k) == "integer" and k >= 1 then
			if k > max_int then max_int = k end
		else
			all_int = false
		end
		k = next(t, k)
	end
	if count == 0 then
		return force_object and "{}" or "[]"
	end
	local inner = indent .. "  "
	path[t] = true
	local out
	if not force_object and all_int and max_int == count then
		local items = {}
		for i = 1, count do
			items[i] = inner .. dump_value(rawget(t, i), inner, depth + 1, path)
		end
		out = "[\n" .. t_concat(items, ",\n") .. "\n" .. indent .. "]"
	else
		local by_text, texts, ntexts = {}, {}, 0
		for i = 1, count do
			local key = keys[i]
			local text = key_text(key)
			local value = dump_value(rawget(t, key), inner, depth + 1, path)
			local prev = by_text[text]
			if prev == nil then
				ntexts = ntexts + 1
				texts[ntexts] = text
				by_text[text] = value
			elseif bytes_less(value, prev) then
				by_text[text] = value
			end
		end
		t_sort(texts, bytes_less)
		local items = {}
		for i = 1, ntexts do
			local text = texts[i]
			items[i] = inner .. json_string(text) .. ": " .. by_text[text]
		end
		out = "{\n" .. t_concat(items, ",\n") .. "\n" .. indent .. "}"
	end
	path[t] = nil
	return out
end

function dump_value(v, indent, depth, path)
	local tv = type(v)
	if tv == "string" then
		if is_utf8(v) then return json_string(v) end
		return lua_type_object("string", indent, "hex", hex(v))
	elseif tv == "number" then
		if m_type(v) == "integer" then return s_format("%d", v) end
		if v ~= v then return lua_type_object("number", indent, "value", "nan") end
		if v == m_huge then return lua_type_object("number", indent, "value", "inf") end
		if v == -m_huge then return lua_type_object("number", indent, "value", "-inf") end
		return float_text(v)
	elseif tv == "boolean" then
		return v and "true" or "false"
	elseif tv == "table" then
		if path[v] then return lua_type_object("cycle", indent) end
		if depth > MAX_DEPTH then return lua_type_object("deep", indent) end
		return dump_table(v, indent, depth, path, false)
	elseif tv == "nil" then
		return "null" -- cannot happen for raw table contents; kept for completeness
	else
		return lua_type_object(tv, indent) -- function, userdata, thread
	end
end

-- Top level: {"hosts": <config table, sections as objects>, "warnings": [...]}
local function dump_hosts(indent)
	local path = { [config] = true }
	local keys, count = {}, 0
	local k = next(config)
	while k ~= nil do
		count = count + 1; keys[count] = k
		k = next(config, k)
	end
	if count == 0 then return "{}" end
	local inner = indent .. "  "
	local by_text, texts = {}, {}
	for i = 1, count do
		local key = keys[i]
		local text = key_text(key)
		local section = rawget(config, key)
		local value
		if type(section) == "table" and not path[section] then
			-- a section: always an object of its raw options; option values are depth 0
			path[section] = true
			value = dump_table(section, inner, -1, path, true)
			path[section] = nil
		else
			value = dump_value(section, inner, 0, path)
		end
		local prev = by_text[text]
		if prev == nil then
			texts[#texts + 1] = text
			by_text[text] = value
		elseif bytes_less(value, prev) then
			by_text[text] = value
		end
	end
	t_sort(texts, bytes_less)
	local items = {}
	for i = 1, #texts do
		items[i] = inner .. json_string(texts[i]) .. ": " .. by_text[texts[i]]
	end
	return "{\n" .. t_concat(items, ",\n") .. "\n" .. indent .. "}"
end

local function dump_warnings(indent)
	local n = #warnings
	if n == 0 then return "[]" end
	local inner = indent .. "  "
	local items = {}
	for i = 1, n do
		items[i] = inner .. dump_value(warnings[i], inner, 0, {})
	end
	return "[\n" .. t_concat(items, ",\n") .. "\n" .. indent .. "]"
end

if hosts_mode then
	local names = {}
	for name in next, config do
		if type(name) == "string" and name ~= "*" then names[#names + 1] = name end
	end
	t_sort(names)
	local lines = {}
	for i, name in ipairs(names) do
		local module = rawget(config[name], "component_module")
		local kind = module and ("Component " .. tostring(module))
			or ("VirtualHost " .. tostring(configmanager.get(name, "authentication")))
		lines[i] = name .. "\t" .. kind .. "\t" .. tostring(configmanager.get(name, "app_id"))
	end
	io_stdout:write(t_concat(lines, "\n"), "\n")
	os_exit(0)
end

io_stdout:write("{\n  \"hosts\": ", dump_hosts("  "), ",\n  \"warnings\": ", dump_warnings("  "), "\n}\n")
io_stdout:flush()
os_exit(0)
