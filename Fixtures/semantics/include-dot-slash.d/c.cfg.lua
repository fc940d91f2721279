-- included: duplicate option so the warning reveals the chunk name
from_c = 1
from_c = 2
