"""Time one run of the generator (`build`) on a content folder, with or without a build cache, as JSON.

Run in a process of its own, as a build runs it: the benchmark's own process has
Playwright's thread running, and the generator does its second half in a forked
process only when no other thread runs (generator/apart.py).

    python bench/generator_time.py CONTENT [CACHE_FOLDER]
"""

import json
import sys
import time
from pathlib import Path

from generator.build import build
from generator.cache import BuildCache

content = Path(sys.argv[1])
cache = BuildCache(Path(sys.argv[2])) if len(sys.argv) > 2 else None
start = time.perf_counter()
build(content, "Benchmark archive", cache=cache)
elapsed = time.perf_counter() - start
if cache is not None:
    cache.close()
print(json.dumps({"seconds": elapsed}))
