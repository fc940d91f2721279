-- glob Include with "?": matches exactly one character
Include "include-glob-question.d/host?.cfg.lua"
