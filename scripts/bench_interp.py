"""Reference for `lode bench interp`: the same loop of scalar additions, at module level like a
Lode cell's globals. Prints the best of N runs in seconds on the last line."""
import sys
import time

iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
source = f"""
total = 0
for i in range({iterations}):
    total = total + i
"""
code = compile(source, "bench", "exec")
best = float("inf")
for _ in range(repeats):
    scope = {}
    start = time.perf_counter()
    exec(code, scope)
    best = min(best, time.perf_counter() - start)
    assert scope["total"] == iterations * (iterations - 1) // 2
print(f"{best:.6f}")
