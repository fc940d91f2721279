-- memory bomb in one call: a 10 GB string
app_secret = string.rep("x", 1e10)
