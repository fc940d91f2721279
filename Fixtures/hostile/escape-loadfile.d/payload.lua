-- payload loaded with loadfile
return "payload-result"
