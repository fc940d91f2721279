-- error("x", 0) carries no position: the message is exactly "x"
error("x", 0)
