-- __currenthost set to a number makes a section keyed by that number (not a string); options still go into it
__currenthost = 42
x = 1
__currenthost = 1.5
y = 2
