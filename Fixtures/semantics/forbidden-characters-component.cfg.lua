-- a Component name with invalid UTF-8 fails nameprep ("Name of Component ... contains forbidden characters"); %q leaves the byte raw
Component "conf\255.example.com" "muc"
