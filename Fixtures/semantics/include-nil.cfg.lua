-- Include(nil) crashes inside configmanager (file:match on nil)
Include(nil)
