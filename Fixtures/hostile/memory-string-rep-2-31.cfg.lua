-- memory bomb in one call: a 2 GiB string (2^31 is a float; string.rep accepts it)
app_secret = string.rep("a", 2^31)
