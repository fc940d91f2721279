-- VirtualHost after a MUC Component of the same name is an error (message says "MUC")
Component "meet.example.com" "muc"
VirtualHost "meet.example.com"
