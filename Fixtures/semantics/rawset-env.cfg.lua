-- rawset(_ENV, k, v) writes into the config environment itself: no option is created, but the name is readable afterwards (even in 0.12)
rawset(_ENV, "domain", "meet.example.com")
main_muc = "conference." .. domain
rawset(_ENV, "app_secret", "hidden-not-an-option")
_G.real_global = "set in _G"
from_g = real_global
