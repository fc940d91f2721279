-- RunScript runs a helper with dofile in the real _G (not the config env): its assignments are Lua globals, not options, and the config can read them back
RunScript "runscript.d/helper.lua"
app_secret = generated_secret
domain_copy = helper_domain
result = RunScript("runscript.d/returns.lua")
