-- CFG_CONFIGDIR is the main config's directory (as passed on the command line); the other CFG_* and prosody.* values are visible too
config_dir = CFG_CONFIGDIR
source_dir = CFG_SOURCEDIR
plugin_dir = CFG_PLUGINDIR
data_dir = CFG_DATADIR
paths = prosody.paths
config_file = prosody.config_file
platform = prosody.platform
process_type = prosody.process_type
cert_dir = CFG_CONFIGDIR .. "/certs"
