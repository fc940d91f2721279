-- a host name breaking the bidi rule (RandALCat letter followed by a digit) fails nameprep
VirtualHost "ab\u{5D0}1"
