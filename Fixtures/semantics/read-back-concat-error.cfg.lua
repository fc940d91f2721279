-- reading an option back in 0.12 gives nil, so concatenating it is a runtime error
domain = "meet.example.com"
main_muc = "conference." .. domain
