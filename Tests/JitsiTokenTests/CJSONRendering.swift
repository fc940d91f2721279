/// Lua for the tests that compare our JSON readers with the real lua-cjson: `cjson` (`cjson.safe`), `unhex` and `hex`
/// (a document travels as one hex line), and `render`, which writes a decoded value canonically (sorted keys, `%.17g`
/// numbers, strings hex-encoded). A test's script appends its own loop over stdin.
let cjsonRenderingLua = #"""
    local cjson = require "cjson.safe"
    local function unhex(s) return (s:gsub("..", function(h) return string.char(tonumber(h, 16)) end)) end
    local function hex(s) return (s:gsub(".", function(c) return string.format("%02x", c:byte()) end)) end
    local function render(v)
      if v == cjson.null then return "null" end
      local t = type(v)
      if t == "boolean" then return tostring(v) end
      if t == "number" then
        if v ~= v then return "nan" end
        return string.format("%.17g", v)
      end
      if t == "string" then return "s" .. hex(v) end
      local keys, n = {}, 0
      for k in pairs(v) do n = n + 1; keys[n] = k end
      table.sort(keys, function(a, b) return tostring(a) < tostring(b) end)
      local parts = {}
      for i, k in ipairs(keys) do
        parts[i] = tostring(type(k) == "string" and "s" .. hex(k) or k) .. "=" .. render(v[k])
      end
      return "{" .. table.concat(parts, ",") .. "}"
    end

    """#
