-- strings: escapes for quotes, backslashes and control characters; U+007F and non-ASCII literal; invalid UTF-8 (bytes, overlong, surrogate, > U+10FFFF, truncated) becomes a hex object
quote = "say \"hi\" \\ back/slash"
controls = "\0\1\b\t\n\v\f\r\27\31"
del = "\127"
accented = "héllo wörld ✓ 😀"
max_code_point = "\u{10FFFF}"
bad_byte = "\255"
overlong = "\xC0\xAF"
surrogate = "\xED\xA0\x80"
too_big = "\xF4\x90\x80\x80"
truncated = "abc\xE2\x82"
lone_continuation = "\x80"
empty = ""
long_bracket = [[
line one
line two]]
keys = { ["\255key"] = 1, ["ключ"] = 2, ["tab\tkey"] = 3, [""] = 4 }
