-- Class: environment reads (issue 9 item 2). An untrusted config copies the CI's secrets into options that `dump`
-- or `hosts` print; --no-env and --allow-env decide what it can read.
VirtualHost "meet.example.com"
    authentication = "token"
    app_id = ENV_HOSTILE_CI_TOKEN or "unset"
    muc_mapper_domain_base = os.getenv("HOSTILE_CI_TOKEN") or "unset"
    allow_empty_token = os.getenv("HOSTILE_ALLOWED") or "unset"
