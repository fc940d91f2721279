-- dotfile: skipped by the glob even though it matches; would abort the load if included
error("dotfile must not be included")
