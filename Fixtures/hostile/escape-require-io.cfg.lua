-- escape attempt: load a C module / the io library through require
local io_lib = require "io"
app_secret = io_lib.open("/etc/hostname"):read("*l")
