-- a glob Include inside an included file in a subdirectory: configmanager joins the already-resolved directory and resolves it again, so with a relative main path the directory part is doubled
Include "include-glob-nested-subdir.d/site.cfg.lua"
