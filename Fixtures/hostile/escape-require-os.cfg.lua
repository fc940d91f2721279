-- escape attempt: get the os library back through require
local os_lib = require "os"
app_secret = os_lib.getenv("HOME")
