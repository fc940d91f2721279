-- helper: sets real globals
generated_secret = "from-helper-" .. string.rep("z", 3)
helper_domain = "meet.example.com"
not_an_option = true
