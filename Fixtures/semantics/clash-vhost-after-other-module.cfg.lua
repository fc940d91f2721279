-- VirtualHost after a Component with another module: the module name is printed as is
Component "focus.example.com" "client_proxy"
VirtualHost "focus.example.com"
