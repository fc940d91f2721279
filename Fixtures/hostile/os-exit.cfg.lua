-- escape attempt: terminate the host process from the config
os.exit(0)
