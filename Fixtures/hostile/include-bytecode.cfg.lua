-- Include of a precompiled Lua 5.4 bytecode file (luac5.4 output; Prosody's loader accepts binary chunks)
Include "include-bytecode.d/payload.luac"
