-- lives in level1/level2/
third = true
