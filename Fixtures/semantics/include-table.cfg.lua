-- Include { ... } crashes inside configmanager (file:match on a table)
Include { "a.cfg.lua" }
