VirtualHost "cut.example"
    app_id = "cut"
