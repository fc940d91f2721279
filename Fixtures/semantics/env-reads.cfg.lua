-- ENV_<NAME> reads os.getenv("<NAME>"): HOME is set (a string), an unset variable is nil (no option); assigning ENV_X creates an option named ENV_X, but reading ENV_X still calls getenv
home_dir = ENV_HOME
via_os_getenv = os.getenv("HOME")
unset_value = ENV_JITSI_JWT_FIXTURE_SURELY_UNSET
unset_is_nil = (ENV_JITSI_JWT_FIXTURE_SURELY_UNSET == nil)
ENV_JITSI_JWT_FIXTURE_SURELY_UNSET = "stored as an option"
read_after_assign = ENV_JITSI_JWT_FIXTURE_SURELY_UNSET
app_secret = ENV_JITSI_JWT_FIXTURE_SURELY_UNSET or "fallback-secret"
