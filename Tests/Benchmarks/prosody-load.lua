-- prosody-load.lua: the baseline for `jitsi-jwt hosts` in Tests/Benchmarks/run.sh.
--
-- Usage: lua5.4 Tests/Benchmarks/prosody-load.lua CONFIG_PATH
--
-- Loads CONFIG_PATH with Prosody 0.12.3's own, unmodified loader (/usr/lib/prosody/core/configmanager.lua), set up
-- exactly as Tests/Oracles/prosody-dump.lua sets it up (lines 1-101 of that file are copied verbatim below), then
-- prints one line per VirtualHost and Component (name, authentication or module, app_id) -- about what
-- `jitsi-jwt hosts` prints -- instead of the oracle's full JSON dump. Not a sandbox.
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

local config_path = arg and arg[1]
if not config_path or (arg[2] ~= nil) then
	io_stderr:write("usage: lua5.4 prosody-load.lua CONFIG_PATH\n")
	os_exit(2)
end

---------------------------------------------------------------------------
-- Environment as /usr/bin/prosody (Debian 0.12.3) builds it
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
	package.path = sanitise_paths(CFG_SOURCEDIR .. "/?.lua;" .. package.path)
	package.cpath = sanitise_paths(CFG_SOURCEDIR .. "/?.so;" .. package.cpath)
end
if os.getenv("HOME") then
	CFG_DATADIR = CFG_DATADIR:gsub("^~", os.getenv("HOME"))
end

-- After util.argparse consumed "--config PATH", Prosody's arg table only keeps
-- the interpreter and script entries.
arg = { [-1] = "lua5.4", [0] = "/usr/bin/prosody" }

-- util/startup.lua: module-level prosody table, parse_args, init_global_state
local prosody = { events = require "util.events".new() }
local configmanager = require "core.configmanager"
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
local logger = require "util.logger"
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
end

---------------------------------------------------------------------------
local ok, level, err = configmanager.load(config_path)
if not ok then
	io_stderr:write(tostring(err), "\n")
	os_exit(1)
end
local config = configmanager.getconfig()
local names = {}
for name in next, config do
	if type(name) == "string" and name ~= "*" then names[#names + 1] = name end
end
t_sort(names)
local out = {}
for i, name in ipairs(names) do
	local section = config[name]
	local module = rawget(section, "component_module")
	local kind = module and ("Component " .. tostring(module)) or ("VirtualHost " .. tostring(configmanager.get(name, "authentication")))
	out[i] = name .. "\t" .. kind .. "\t" .. tostring(configmanager.get(name, "app_id"))
end
io_stdout:write(t_concat(out, "\n"), "\n")
os_exit(0)
