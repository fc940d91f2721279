/// The Lua half of the config loader: Prosody's `core/configmanager.lua` semantics (0.12.3 and 13.0.1), written
/// for the sandbox. File access goes through host functions that confine reads to the readable roots; everything
/// else (sections, bookkeeping keys, Include and globs, ENV_ reads, duplicate warnings, 13.0's read-back, proxies,
/// `Lua` and `File*`/`Credential`) happens here, in Lua, exactly where Prosody does it, so that Lua produces the same
/// results and the same error texts. Local names that can appear in Lua's error messages (`k`, `file`, `err`,
/// `name`, `host`) are the ones Prosody uses.
///
/// Called as `prelude(trusted, version, config_file, credentials_dir, max_depth, max_includes, record, env_allowed)`;
/// returns `true, config, warnings, printed` or `nil, "file"|"parser", message, printed`. With `record` set to "1",
/// the notes follow `printed` as the sandbox's note log hands them out (its values, then its records: see
/// `LoadNote.notes(values:records:)`): where each option was set (`set`), each read of a name that is neither an
/// option nor a Lua global (`undefined`), and each glob Include that matched nothing (`empty_glob`), with file and
/// line.
/// `env_allowed` is `"*"` (every environment variable readable, as in Prosody) or the readable names, one per line.
///
/// `parser.load` takes a file's text boxed in a table (nil inside for a directory) and takes it out: once the text
/// is compiled nothing refers to it, and the collector frees it while the config runs (a big config's text is as big
/// as the config's values). Edits keep the Lua lines where they were: error messages name the prelude's lines.
let prelude = #"""
local trusted, version, config_file, credentials_dir, max_depth, max_includes, record, env_allowed = ...
max_depth, max_includes = tonumber(max_depth), tonumber(max_includes)
local is13 = version == "13"

-- What the config may read of the environment (ENV_NAME and os.getenv): everything, or only the allowed names.
if env_allowed ~= "*" then
    local getenv, allowed = os.getenv, {}
    for name in env_allowed:gmatch("[^\n]+") do allowed[name] = true end
    os.getenv = function (name)
        if allowed[name] then return getenv(name) end
        return nil
    end
end

local _G = _G
local setmetatable, rawget, rawset, os, error, type, pairs, ipairs, tostring, select, pcall =
      setmetatable, rawget, rawset, os, error, type, pairs, ipairs, tostring, select, pcall
local format, math_max, t_insert, t_concat, t_remove = string.format, math.max, table.insert, table.concat, table.remove
local tointeger, tonumber = math.tointeger, tonumber
local load, getinfo, record_note = trusted.load, trusted.getinfo, trusted.note
local read_file, list_dir, host_nameprep = trusted.read_file, trusted.list_dir, trusted.nameprep
local ascii_nameprep = trusted.ascii_nameprep
local path_sep = "/"

-- What a config sees of Prosody's process (Debian's /usr/bin/prosody and util/startup.lua before read_config).
local printed = {}

record = record == "1"
CFG_SOURCEDIR = "/usr/lib/prosody"
CFG_PLUGINDIR = "/usr/lib/prosody/modules/"
CFG_DATADIR = "/var/lib/prosody"
CFG_CONFIGDIR = config_file:match("^(.*)[\\/][^\\/]*$")
arg = { [-1] = "lua5.4", [0] = "/usr/bin/prosody" }
hosts, bare_sessions, full_sessions = {}, {}, {}
log = function() end
prosody = {
    process_type = "prosody", platform = "posix", installed = true, config_file = config_file,
    opts = { config = config_file }, hosts = hosts, bare_sessions = bare_sessions, full_sessions = full_sessions,
    arg = arg, log = log,
    paths = { source = CFG_SOURCEDIR, config = CFG_CONFIGDIR, plugins = CFG_PLUGINDIR, data = "data" },
}
-- Lua's load with its mode semantics (a text chunk under mode "b" is refused with Lua's message), except that
-- binary chunks are refused under every mode. A reader function is read here first, as lua_load would, so that
-- the first byte is known; print goes to the diagnostics, never to stdout.
_G.load = function(...)
    local chunk, chunkname, mode, env = ...
    if type(chunk) == "function" then
        local pieces, reader = {}, chunk
        while true do
            local ok, piece = pcall(reader)
            if not ok then return nil, piece end
            if type(piece) == "number" then piece = tostring(piece) end
            if piece == nil or piece == "" then break end
            if type(piece) ~= "string" then
                return nil, select(2, pcall(error, "reader function must return a string", 3))
            end
            pieces[#pieces + 1] = piece
        end
        chunk = t_concat(pieces)
        if chunkname == nil then chunkname = "=(load)" end
    end
    if type(chunk) == "string" and chunk:byte(1) == 27 then mode = "t" end
    if select("#", ...) >= 4 then return load(chunk, chunkname, mode, env) end
    return load(chunk, chunkname, mode)
end
_G.print = function(...)
    local parts = {}
    for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
    t_insert(printed, t_concat(parts, "\t"))
end

-- util.paths
local function resolve_relative_path(parent_path, path)
    if path then
        parent_path = parent_path:gsub("%/+$", "")
        path = path:gsub("^%./+", "")
        if path:sub(1, 1) ~= "/" then
            return parent_path .. path_sep .. path
        end
    end
    return path
end

local function glob_to_pattern(glob)
    return "^" .. glob:gsub("[%p*?]", function (c)
        if c == "*" then return ".*" elseif c == "?" then return "." end
        return "%" .. c
    end) .. "$"
end

-- util.encodings.stringprep.nameprep: strings and numbers (as Lua converts them), else nil; ASCII names in C.
local function nameprep(host)
    local kind = type(host)
    if kind == "number" then host = tostring(host) elseif kind ~= "string" then return nil end
    return ascii_nameprep(host) or host_nameprep(host)
end

-- io.open + read, confined to the readable roots; false stands for a directory (opens, reads nil).
local function open_and_read(file)
    local content, err = read_file(file)
    if content == false then return true, nil end
    if content == nil then return nil, err end
    return true, content
end

local config_mt = { __index = function (t, _) return rawget(t, "*") end }
local live_config = setmetatable({ ["*"] = {} }, config_mt)
local host_mt = { __index = function (_, k) return live_config["*"][k] end }

local function set(config_table, host, key, value)
    if host and key then
        local hostconfig = rawget(config_table, host)
        if not hostconfig then
            hostconfig = rawset(config_table, host, setmetatable({}, host_mt))[host]
        end
        hostconfig[key] = value
        return true
    end
    return false
end

local function rawget_option(config_table, host, key)
    if host and key then
        local hostconfig = rawget(config_table, host)
        if not hostconfig then return nil end
        return rawget(hostconfig, key)
    end
end

local function get_line_number(config_file)
    for level = 1, math.huge do
        local info = getinfo(level, "Sl")
        if not info then return nil end
        if info.short_src == config_file then return info.currentline end
    end
end

-- Notes go to the sandbox's note log (trusted.note): for each, its kind, section, name and file, and the line
-- running in that file (or none). The log keeps each string once and a note in 24 bytes (no Lua table per
-- note), and hands them out at the end (trusted.notes) as its values and one string of records, which
-- LoadNote.notes(values:records:) reads. The kinds:
--   "set"         an option was set (by assignment or by the table form)
--   "undefined"   a name was read that is neither an option nor a Lua global
--   "empty_glob"  a glob Include matched no file
-- Without `record` (hosts, dump) no note is made, and the prelude's results end with `printed`; with it, they
-- end with the log's values and records. `note` is the log's own function, not a Lua function calling it: the
-- log looks for the config's line from the caller's frame up, so one frame fewer is one level fewer to look at.
local note = function () end
if record then
    note = record_note
end

local config_option_proxy_mt = {
    __index = setmetatable({
        append = function (self, value)
            local original_option = self:value()
            if original_option == nil then original_option = {} end
            if type(value) ~= "table" then
                error("'append' operation expects a list of values to append to the existing list", 2)
            end
            if value[1] ~= nil then
                for _, v in ipairs(value) do t_insert(original_option, v) end
            else
                for k, v in pairs(value) do original_option[k] = v end
            end
            set(self.config_table, self.host, self.option_name, original_option)
            return self
        end,
        value = function (self)
            return rawget_option(self.config_table, self.host, self.option_name)
        end,
        values = function (self)
            local list, i = self:value(), 0
            return function () i = i + 1; return list[i] end
        end,
    }, {
        __index = function (t, k)
            error("Unknown config option operation: '" .. k .. "'", 2)
        end,
    }),
    __call = function (self, v2)
        local v = self:value() or {}
        if type(v) == "table" and type(v2) == "table" then return self:append(v2) end
        error("Invalid syntax - missing '=' perhaps?", 2)
    end,
}

\#(preludeFileReaders)
local include_stack, include_count = {}, 0
local parser = {}

function parser.load(source, config_file, config_table)
    local data, set_options = t_remove(source), {}
    local warnings = {}
    local env
    local config_path = config_file:gsub("[^" .. path_sep .. "]+$", "")
    -- A bare file name: Prosody resolves its relative names from "/", the absolute path from its directory.
    if config_path == "" then config_path = "./" end

    local reserved = {
        Host = true, host = true, VirtualHost = true,
        Component = true, component = true,
        Include = true, include = true, RunScript = true,
    }
    if is13 then
        reserved.FileContents, reserved.FileLine, reserved.FileLines, reserved.Credential = true, true, true, true
    end

    local index
    if is13 then
        index = function (_, k)
            if k:match("^ENV_") then return os.getenv(k:sub(5)) end
            if k == "Lua" then return _G end
            local val = rawget_option(config_table, env.__currenthost or "*", k)
            local g_val = rawget(_G, k)
            if val ~= nil or g_val == nil then
                if val == nil then note("undefined", env.__currenthost or "*", k, config_file) end
                if type(val) == "table" then
                    return setmetatable({
                        config_table = config_table,
                        host = env.__currenthost or "*",
                        option_name = k,
                    }, config_option_proxy_mt)
                end
                return val
            end
            if g_val ~= nil then
                local line = get_line_number(config_file)
                t_insert(warnings, { kind = "deprecated_global", file = config_file, line = line, name = k,
                    text = ("%s:%d: direct usage of the Lua API is deprecated - replace `%s` with `Lua.%s`")
                        :format(config_file, line, k, k) })
            end
            return g_val
        end
    else
        index = function (_, k)
            if k:match("^ENV_") then return os.getenv(k:sub(5)) end
            local g_val = rawget(_G, k)
            if g_val == nil then note("undefined", env.__currenthost or "*", k, config_file) end
            return g_val
        end
    end

    env = setmetatable(reserved, {
        __index = index,
        __newindex = function (_, k, v)
            local host = env.__currenthost or "*"
            local option_path = host .. "/" .. k
            if set_options[option_path] then
                local line = get_line_number(config_file)
                t_insert(warnings, { kind = "duplicate_option", file = config_file, line = line, name = k,
                    text = ("%s:%d: Duplicate option '%s'"):format(config_file, line, k) })
            end
            set_options[option_path] = true
            if record then note("set", host, k, config_file) end
            set(config_table, env.__currenthost or "*", k, v)
        end,
    })

    rawset(env, "__currenthost", "*")

    function env.VirtualHost(name)
        if not name then error("Host must have a name", 2) end
        local prepped_name = nameprep(name)
        if not prepped_name then
            error(format("Name of Host %q contains forbidden characters", name), 0)
        end
        name = prepped_name
        if rawget(config_table, name) and rawget(config_table[name], "component_module") then
            error(format("Host %q clashes with previously defined %s Component %q, for services use a sub-domain like conference.%s",
                name, config_table[name].component_module:gsub("^%a+$", { component = "external", muc = "MUC" }), name, name), 0)
        end
        rawset(env, "__currenthost", name)
        set(config_table, name or "*", "defined", true)
        return function (config_options)
            rawset(env, "__currenthost", "*")
            if type(config_options) == "string" then
                error(format("VirtualHost entries do not accept a module name (module '%s' provided for host '%s')", config_options, name), 2)
            elseif type(config_options) ~= "table" then
                error("Invalid syntax following VirtualHost, expected options but received a " .. type(config_options), 2)
            end
            for option_name, option_value in pairs(config_options) do
                if record then note("set", name or "*", option_name, config_file) end
                set(config_table, name or "*", option_name, option_value)
            end
        end
    end
    env.Host, env.host = env.VirtualHost, env.VirtualHost

    function env.Component(name)
        if not name then error("Component must have a name", 2) end
        local prepped_name = nameprep(name)
        if not prepped_name then
            error(format("Name of Component %q contains forbidden characters", name), 0)
        end
        name = prepped_name
        if rawget(config_table, name) and rawget(config_table[name], "defined")
            and not rawget(config_table[name], "component_module") then
            error(format("Component %q clashes with previously defined VirtualHost %q, for services use a sub-domain like conference.%s",
                name, name, name), 0)
        end
        set(config_table, name, "component_module", "component")
        set(config_table, name, "load_global_modules", false)
        rawset(env, "__currenthost", name)
        local function handle_config_options(config_options)
            rawset(env, "__currenthost", "*")
            for option_name, option_value in pairs(config_options) do
                if record then note("set", name or "*", option_name, config_file) end
                set(config_table, name or "*", option_name, option_value)
            end
        end
        return function (module)
            if type(module) == "string" then
                set(config_table, name, "component_module", module)
                return handle_config_options
            end
            return handle_config_options(module)
        end
    end
    env.component = env.Component

    -- `resolved`: `file` is already a path from the working directory. Prosody includes what a glob found by its
    -- resolved path, which its Include resolves a second time against the including file's directory: a relative
    -- directory then doubles ("a/b/" .. "a/b/x.cfg.lua") and the load fails. The file meant is the one Prosody
    -- includes for the absolute path, so that one is read, named by the resolved relative path.
    local function include(file, resolved)
        if file:match("[*?]") then
            local path_pos, glob = file:match("()([^" .. path_sep .. "]+)$")
            local path = file:sub(1, math_max(path_pos - 2, 0))
            if #path > 0 then
                if not resolved then path = resolve_relative_path(config_path, path) end
            else
                path = config_path
            end
            local patt = glob_to_pattern(glob)
            local matched = false
            local names, err = list_dir(path)
            if not names then error(err) end
            for f in names:gmatch("[^\0]+") do
                if f:sub(1, 1) ~= "." and f:match(patt) then
                    matched = true
                    local found = path .. path_sep .. f
                    if found:sub(1, 1) == path_sep or config_path:match("^%.?/*$") then
                        env.Include(found) -- resolving it again changes nothing it names
                    else
                        include(found, true)
                    end
                end
            end
            if not matched then note("empty_glob", env.__currenthost or "*", file, config_file) end
            return
        end
        if not resolved then file = resolve_relative_path(config_path, file) end
        local content, err, canonical = read_file(file)
        local f = content ~= nil
        if f then
            content = { content ~= false and content or nil }
            for i = 1, #include_stack do
                if include_stack[i].canonical == canonical then
                    local chain = {}
                    for j = i, #include_stack do t_insert(chain, include_stack[j].file) end
                    t_insert(chain, file)
                    error("Include cycle: " .. t_concat(chain, " -> "), 0)
                end
            end
            if #include_stack >= max_depth then
                error(format("Include depth limit reached: more than %d nested Includes at %s", max_depth, file), 0)
            end
            include_count = include_count + 1
            if include_count > max_includes then
                error(format("Include limit reached: more than %d included files at %s", max_includes, file), 0)
            end
            t_insert(include_stack, { file = file, canonical = canonical })
            local ret, err = parser.load(content, file, config_table)
            include_stack[#include_stack] = nil
            if not ret then error(err:gsub("%[string.-%]", file), 0) end
            if err then
                for _, warning in ipairs(err) do t_insert(warnings, warning) end
            end
        end
        if not f then error("Error loading included " .. file .. ": " .. err, 0) end
        return f, err
    end
    function env.Include(file) return include(file, false) end
    env.include = env.Include

    function env.RunScript(file)
        local path = resolve_relative_path(config_path, file)
        local ok, content = open_and_read(path)
        if not ok then error("cannot open " .. content, 0) end
        local chunk, err = load(content, "@" .. path, "t")
        if not chunk then error(err, 0) end
        return chunk()
    end

    if is13 then
        env.FileContents = filereader(config_path, "*a")
        env.FileLine = filereader(config_path, "*l")
        env.FileLines = linereader(config_path)
        if credentials_dir ~= "" then
            env.Credential = filereader(credentials_dir, "*a")
        else
            env.Credential = function ()
                error("Credential() requires the $CREDENTIALS_DIRECTORY environment variable to be set", 2)
            end
        end
    end

    local chunk, err = load(data, "@" .. config_file, "t", env)
    if not chunk then
        if type(data) == "string" and data:sub(1, 1) == "\27" then
            err = config_file .. ": " .. err .. ": precompiled Lua is refused"
        end
        return nil, err
    end
    data = nil
    local ok, err = pcall(chunk)
    if not ok then return nil, err end
    return true, warnings
end

local config_format = config_file:match("%w+$")
if config_format ~= "lua" then
    if not config_format then return nil, "file", "no parser specified", printed end
    return nil, "file", "no parser for " .. config_format, printed
end
local content, err, canonical = read_file(config_file)
if content == nil then return nil, "file", err, printed end
content = { content ~= false and content or nil }
local new_config = setmetatable({ ["*"] = {} }, config_mt)
include_stack[1] = { file = config_file, canonical = canonical }
local ok, warnings = parser.load(content, config_file, new_config)
if not ok then return nil, "parser", warnings, printed end
if not record then return true, new_config, warnings, printed end
return true, new_config, warnings, printed, trusted.notes()
"""#
