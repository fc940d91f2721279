-- 13.0 reads options back (current section only): main_muc = "conference." .. domain works; on 0.12 domain reads nil and the concatenation fails
domain = "meet.example.com"
main_muc = "conference." .. domain
