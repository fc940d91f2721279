-- endless loop: a sandboxed loader must stop it with a time/instruction limit
app_id = "acme_meet"
while true do end
