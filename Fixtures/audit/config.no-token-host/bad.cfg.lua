-- audit: no VirtualHost uses token authentication
VirtualHost "meet.example.com"
    authentication = "jitsi-anonymous"
Component "conference.meet.example.com" "muc"
