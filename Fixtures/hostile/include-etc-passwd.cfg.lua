-- Include of an absolute system path
Include "/etc/passwd"
