-- included through the lower-case alias include
via_include = true
