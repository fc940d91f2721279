-- reading _ENV[1] calls the env's __index with a number: k:match crashes inside configmanager
x = _ENV[1]
