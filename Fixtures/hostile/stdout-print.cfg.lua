-- writes to the process's stdout, which would corrupt a tool's JSON output
print("LEAK")
io.write("LEAK via io.write\n")
io.stdout:write("LEAK via io.stdout\n")
app_id = "acme_meet"
