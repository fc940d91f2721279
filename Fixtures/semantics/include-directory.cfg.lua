-- Include of a directory: io.open succeeds on Linux, read returns nil, and load() fails inside configmanager
Include "include-directory.d"
