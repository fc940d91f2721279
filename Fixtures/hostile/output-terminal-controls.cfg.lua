-- Class: terminal control bytes in what `hosts` and `audit` print. A name with ESC sequences (retitle, clear screen,
-- a forged table row after a line feed), option values with C1 CSI (U+009B), DEL, a bidi override (U+202E) and a
-- raw 0x9b byte. Every one must be printed as a visible escape, never raw.
VirtualHost "evil\27]0;pwned\7\27[2J.example"
    authentication = "token"
    app_id = "id\194\155" .. "31mred\127\226\128\174txt"
    app_secret = "k3Xq9vT2mPz7LwR4cYb8NdF1hJs6GuA0eVo5iQnW"
    muc_mapper_domain_base = "base\nmeet.example.com  yes  token  forged  set\r\155[2J"
Component "conference.evil.example" "muc\27[1A\27[2K"
