-- escape attempt: control the collector (stop it, switch mode, read the heap size)
collectgarbage("stop")
heap_is_number = type(collectgarbage("count")) == "number"
collectgarbage("generational")
