-- raises a non-string error object
error(404)
