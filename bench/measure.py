"""Run one command and print its wall time (s) and peak memory (KB) of it and its children as JSON.

A fresh process per measurement, so the peak is that command's alone.
"""

import json
import resource
import subprocess
import sys
import time

start = time.perf_counter()
result = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=False)
elapsed = time.perf_counter() - start
if result.returncode != 0:
    sys.stderr.write(result.stderr)
    sys.exit(result.returncode)
peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_kb": peak_kb}))
