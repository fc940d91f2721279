// Placeholder until the benchmark lands.
print("jitsi-jwt-bench")
