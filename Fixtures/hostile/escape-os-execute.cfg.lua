-- escape attempt: run a shell command
os.execute("touch /tmp/jitsi-jwt-pwned")
app_id = "after-escape"
