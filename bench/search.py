"""`make bench-search`: the header box's first search alone, as `make bench` measures it.

At each size (BENCH_SIZES, default 100,1000,5000) a synthetic archive is built as
`make site` builds it and served as GitHub Pages serves it; headless Chromium loads
the home page, types the query into the header's box and times the first result,
counting the bytes fetched after the page's load by the part of the search index
they belong to: Pagefind's engine (its script, worker and WebAssembly, the same at any
size), the buckets' metadata, the index chunks for the words, and the results' texts.
Medians of BENCH_RUNS runs (default 3).
"""

from __future__ import annotations

import functools
import os

from run import QUERY, RUNS, built_project, chromium, first_result, median_of, serve


def main(sizes: list[int]) -> None:
    print(f"Medians of {RUNS} runs; query {QUERY!r}.")
    print("| meetings | first result (ms) | KB | engine KB | metadata KB | index KB | texts KB |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    with chromium() as browser:
        for size in sizes:
            with serve(built_project(size) / "site") as url:
                found = median_of(functools.partial(first_result, browser, url, "ours"))
            print(
                f"| {size:,} | {found['ms']:.0f} | {found['kb']:.0f} | {found['kb_engine']:.0f} | "
                f"{found['kb_metadata']:.0f} | {found['kb_index']:.0f} | {found['kb_fragments']:.0f} |",
                flush=True,
            )


if __name__ == "__main__":
    main([int(n) for n in os.environ.get("BENCH_SIZES", "100,1000,5000").split(",")])
