-- included: unterminated table constructor, syntax error reported at <eof> (line 3)
VirtualHost "x" {
