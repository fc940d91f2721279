-- included: duplicate option so the warning reveals the chunk name
from_b = 1
from_b = 2
