-- reached only when the main config path is absolute (or when run from inside include-glob-nested-subdir.d)
VirtualHost "meet.example.com"
