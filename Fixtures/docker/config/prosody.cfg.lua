-- docker-jitsi-meet style rendered main config (prosody container, /config/prosody.cfg.lua)
-- Prosody XMPP Server Configuration

admins = {
    "focus@auth.meet.jitsi",
    "jvb@auth.meet.jitsi"
}

plugin_paths = { "/prosody-plugins/", "/prosody-plugins-custom", "/prosody-plugins-contrib" }

http_default_host = "meet.jitsi"

modules_enabled = {
	-- Generally required
		"roster"; -- Allow users to have a roster. Recommended ;)
		"saslauth"; -- Authentication for clients and servers. Recommended if you want to log in.
		"tls"; -- Add support for secure TLS on c2s/s2s connections
		"disco"; -- Service discovery

	-- Not essential, but recommended
		"private"; -- Private XML storage (for room bookmarks, etc.)
		"vcard"; -- Allow users to set vCards
		"limits"; -- Enable bandwidth limiting for XMPP connections

	-- Nice to have
		"version"; -- Replies to server version requests
		"uptime"; -- Report how long server has been running
		"time"; -- Let others know the time here on this server
		"ping"; -- Replies to XMPP pings with pongs

	-- Other specific functionality
		"posix"; -- POSIX functionality, sends server to background, enables syslog, etc.
}

component_ports = { 5347 }
component_interfaces = { "*" }

limits = {
	c2s = {
		rate = "512kb/s";
	};
	s2sin = {
		rate = "10kb/s";
	};
}

allow_registration = false;

daemonize = false;

pidfile = "/config/data/prosody.pid";

c2s_require_encryption = false

s2s_secure_auth = false

authentication = "internal_hashed"

log = {
	{ levels = { min = "info" }, to = "console" };
}

data_path = "/config/data"

smacks_max_unacked_stanzas = 5;
smacks_hibernation_time = 60;
smacks_max_old_sessions = 1;

Include "conf.d/*.cfg.lua"
