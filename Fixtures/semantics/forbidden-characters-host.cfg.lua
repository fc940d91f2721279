-- a host name with a prohibited code point (U+E000, private use) fails nameprep: error without position
VirtualHost "meet\u{E000}.example.com"
