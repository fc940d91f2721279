-- helper: returns a value to the config
return "returned-by-script"
