-- error() raises nil: the load fails with a nil message, printed as "nil"
app_id = "acme_meet"
error()
