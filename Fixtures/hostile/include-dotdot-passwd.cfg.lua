-- Include escaping the config directory with ../ to a system file
Include "../../../../../../../../etc/passwd"
