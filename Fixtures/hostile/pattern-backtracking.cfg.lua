-- pathological pattern: ".-.-.-b" against 700 "a"s backtracks about 10^10 steps inside one C call
local n = ("a"):rep(700):find(".-.-.-b")
