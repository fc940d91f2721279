-- VirtualHost "x" "mod" is an error in 0.12.1+ (VirtualHost entries do not accept a module name)
VirtualHost "meet.example.com" "muc"
