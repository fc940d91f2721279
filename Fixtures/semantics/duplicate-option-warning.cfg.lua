-- assigning the same section/option twice in one file warns "<file>:<line>: Duplicate option 'k'"; the last value wins; other sections do not count
app_id = "first"
app_secret = "global"
app_id = "second"
VirtualHost "meet.example.com"
	app_id = "host"
	app_secret = "host"
	app_id = "host-again"
VirtualHost "other.example.com"
	app_id = "other"
VirtualHost "meet.example.com"
	app_secret = "host-third"
for i = 1, 2 do
	loop_option = i
end
