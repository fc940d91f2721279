/// The part of ``prelude`` behind 13.0's `FileContents`, `FileLine`, `FileLines` and `Credential`: Prosody's
/// `filereader` and `linereader` over what the host's `read_file` returned, with Lua 5.4's `file:read` formats and
/// `io.lines`' messages reproduced exactly (checked against the real 13.0.1 by `DifferentialTests`). It uses the
/// locals the prelude defines before it (`open_and_read`, `resolve_relative_path`, `tointeger`, ...).
let preludeFileReaders = #"""
-- Lua 5.4's file:read(format) (liolib's g_read with one format) on a file holding `content`; nil content is a
-- directory, whose every read fails with "Is a directory". Returns what read returns. Called, never tail-called,
-- from the function that stands for Prosody's `f:read` line, so that argument errors name that line as Lua does.
local function read_number(content)
    local i, n, buff, invalid = 1, 0, {}, false
    local c = content:sub(1, 1)
    local function nextc()
        if n >= 200 then invalid = true; return false end
        n = n + 1; buff[n] = c
        i = i + 1; c = content:sub(i, i)
        return true
    end
    local function test2(set) return c ~= "" and set:find(c, 1, true) ~= nil and nextc() end
    local function readdigits(hex)
        local count = 0
        while c ~= "" and c:find(hex and "^%x" or "^%d") and nextc() do count = count + 1 end
        return count
    end
    while c ~= "" and c:find("^[ \t\n\v\f\r]") do i = i + 1; c = content:sub(i, i) end
    local count, hex = 0, false
    test2("-+")
    if test2("0") then
        if test2("xX") then hex = true else count = 1 end
    end
    count = count + readdigits(hex)
    if test2(".") then count = count + readdigits(hex) end
    if count > 0 and test2(hex and "pP" or "eE") then
        test2("-+")
        readdigits(false)
    end
    if invalid then return nil end
    return tonumber(t_concat(buff))
end

local function read_format(content, format)
    if type(format) == "number" then
        local count = tointeger(format)
        if not count then error("bad argument #1 to 'read' (number has no integer representation)", 2) end
        -- A negative count is a size_t near 2^64: Lua fails to allocate its buffer before it reads.
        if count < 0 then error("not enough memory", 0) end
        if content == nil then return nil, "Is a directory" end
        if count == 0 then
            if content == "" then return nil end
            return ""
        end
        local chars = content:sub(1, count)
        if chars == "" then return nil end
        return chars
    end
    if type(format) ~= "string" then
        error("bad argument #1 to 'read' (string expected, got " .. type(format) .. ")", 2)
    end
    local kind = format:sub(1, 1) == "*" and format:sub(2, 2) or format:sub(1, 1)
    if kind ~= "n" and kind ~= "l" and kind ~= "L" and kind ~= "a" then
        error("bad argument #1 to 'read' (invalid format)", 2)
    end
    if content == nil then return nil, "Is a directory" end
    if kind == "a" then return content end
    if kind == "n" then return read_number(content) end
    if content == "" then return nil end
    local line, newline = content:match("^([^\n]*)(\n?)")
    return kind == "L" and line .. newline or line
end

-- FileContents / FileLine (13.0): io.open + read(mode); the same errors at the caller's line.
local function filereader(basepath, defaultmode)
    return function (filename, mode)
        local f, err = open_and_read(resolve_relative_path(basepath, filename))
        if not f then error(err, 2) end
        local content, err = read_format(err, mode or defaultmode)
        if not content then error(err, 2) end
        return content
    end
end

-- FileLines (13.0): io.lines into an array; its errors name this function's line, as io.lines' do.
local function linereader(basepath)
    return function (filename)
        local file = resolve_relative_path(basepath, filename)
        local f, content = open_and_read(file)
        if not f then
            local reason = content:sub(1, #file + 2) == file .. ": " and content:sub(#file + 3) or content
            error("cannot open file '" .. file .. "' (" .. reason .. ")")
        end
        if content == nil then error("Is a directory") end
        local ret = {}
        for line in content:gmatch("([^\n]*)\n") do t_insert(ret, line) end
        local last = content:match("([^\n]+)$")
        if last then t_insert(ret, last) end
        return ret
    end
end
"""#
