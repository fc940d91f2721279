-- numbers as host names are converted to strings by nameprep: 123 -> "123", 1e3 (a float) -> "1000.0", 0.5 -> "0.5"
VirtualHost(123)
	which = "integer"
VirtualHost(1e3)
	which = "float"
Component(0.5) "muc"
