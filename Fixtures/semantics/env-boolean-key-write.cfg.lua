-- _ENV[true] = 1 reaches __newindex, whose duplicate tracking builds host.."/"..k and fails inside configmanager
_ENV[true] = "boolean key"
