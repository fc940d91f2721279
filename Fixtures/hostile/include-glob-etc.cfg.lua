-- glob Include of every file in /etc
Include "/etc/*"
