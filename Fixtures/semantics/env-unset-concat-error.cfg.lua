-- concatenating an unset ENV_ variable is a runtime error (it reads nil)
app_secret = "prefix-" .. ENV_JITSI_JWT_FIXTURE_SURELY_UNSET
