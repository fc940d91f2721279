-- included: duplicate option so the warning reveals the chunk name
from_a = 1
from_a = 2
