-- directive names are case-sensitive: "virtualhost" does not exist, calling it is a runtime error
virtualhost "meet.example.com"
