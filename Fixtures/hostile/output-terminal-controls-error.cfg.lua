-- Class: terminal control bytes in a Lua error text, which every command prints to stderr: ESC sequences, a line
-- feed that would fake a second message, C1 CSI as UTF-8 and as a raw byte (not UTF-8), a bidi override.
error("broken\27]0;pwned\7\27[2J\nfake: line\194\155" .. "1m\226\128\174 raw\155[2J\255")
