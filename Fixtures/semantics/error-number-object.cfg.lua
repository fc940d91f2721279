-- error(42) raises a number: the loader returns it unchanged; tostring() gives "42"
error(42)
