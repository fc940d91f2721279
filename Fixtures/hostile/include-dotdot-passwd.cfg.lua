-- Include escaping the config directory with ../ to a system file (enough ../ to reach / from any checkout)
Include "../../../../../../../../../../../../../../../../../../../../../../../../../../../../../../etc/passwd"
