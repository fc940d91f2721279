-- 13.0: the Lua global gives _G, so Lua.os.getenv works; on 0.12 Lua is nil: "attempt to index a nil value (global 'Lua')"
app_secret = Lua.os.getenv("JITSI_APP_SECRET") or "fallback"
