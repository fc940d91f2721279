-- duplicate option in a file with a long chunk name
app_id = "one"
app_id = "two"
