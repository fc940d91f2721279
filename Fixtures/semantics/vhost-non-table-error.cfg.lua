-- VirtualHost "x" (42): the options call rejects non-tables ("expected options but received a number")
VirtualHost "meet.example.com" (42)
