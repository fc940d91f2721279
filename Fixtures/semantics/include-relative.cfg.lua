-- Include "dir/file" resolves relative to the including file's directory; the included file's options land in the same config
app_id = "main"
Include "include-relative.d/hosts.cfg.lua"
after_include = true
