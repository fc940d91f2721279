-- 13.0: modules_enabled:append{...} extends the inherited list via the option proxy; on 0.12 the name reads nil: "attempt to index a nil value (global 'modules_enabled')"
modules_enabled = { "disco", "ping" }
modules_enabled:append { "bosh", "websocket" }
