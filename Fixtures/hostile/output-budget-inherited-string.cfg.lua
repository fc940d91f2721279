-- Class: unbounded output. One 1 MB string that 300 VirtualHosts inherit from "*": 300 MB of `hosts` output and
-- more of padding, from a config that loads well within the Lua limits.
muc_mapper_domain_base = ("m"):rep(1000000)
for i = 1, 300 do
    VirtualHost("host" .. i .. ".example")
    authentication = "token"
end
