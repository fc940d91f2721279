-- in 0.12 an option cannot be read back: the name reads _G (nil here), so copying an option stores nothing
app_id = "acme_meet"
copy_of_app_id = app_id
was_nil = (app_id == nil)
described = app_id and "set" or "unset"
