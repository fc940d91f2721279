-- a section whose option keys are exactly 1..n is still dumped as an object (sections are always objects)
_ENV[1] = "first"
_ENV[2] = "second"
