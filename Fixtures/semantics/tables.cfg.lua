-- nested and mixed tables: arrays, maps, mixed log-style tables, sparse arrays, non-string keys, function values, empty tables (io/coroutine values need libraries the sandbox does not open)
log = {
	{ levels = { "error" }, to = "syslog" };
	info = "/var/log/prosody/prosody.log";
	error = "/var/log/prosody/prosody.err";
}
array = { "a", "b", "c" }
sparse = { "a", nil, "c" }
starts_at_two = { [2] = "b", [3] = "c" }
zero_index = { [0] = "zero", "one" }
negative_index = { [-1] = "minus one" }
float_keys = { [1.5] = "x", [2.0] = "two (an integer key)" }
bool_keys = { [true] = "yes", [false] = "no" }
table_key = { [{}] = "table as key" }
function_key = { [print] = "function as key" }
collision = { [1] = "integer one", ["1"] = "string one", [2] = "integer two" }
nested = { a = { b = { c = { "deep", { d = true } } } } }
empty = {}
empty_nested = { {}, { {} } }
callback = function() return 1 end
mixed_values = { 1, 2.5, "three", true, false }
