-- nameprep keeps ASCII spaces, '/', '@' and the empty string; VirtualHost "*" selects the global section and sets defined = true there
VirtualHost "exa mple.com"
	which = "space"
VirtualHost "user@host/resource"
	which = "jid-like"
VirtualHost ""
	which = "empty name"
VirtualHost "*"
	which = "global via VirtualHost *"
