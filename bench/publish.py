"""`make bench-publish`: `make site` after adding one meeting, the previous build's cache kept.

`make bench` measures this once per run, each after a full build of its own; here one
synthetic archive of BENCH_SIZE meetings (default 5,000) is built once, its cache copied
aside, and then BENCH_RUNS times (default 3) the copy is put back, one meeting added
(a week after the newest, as bench/run.py adds it), `mkdocs build` timed, and the
meeting taken away again: so every run starts from the same cache and the same site,
as a publish after the one before does. Prints each run and the median.
"""

from __future__ import annotations

import os
import shutil
import statistics

from run import RUNS, built_project, mkdocs_build, one_meeting_added


def main(size: int) -> None:
    project = built_project(size)
    kept = project.parent / "publish-cache"
    shutil.rmtree(kept, ignore_errors=True)
    shutil.copytree(project / ".cache", kept)
    seconds = []
    try:
        for run in range(1, RUNS + 1):
            shutil.rmtree(project / ".cache")
            shutil.copytree(kept, project / ".cache")
            os.sync()  # the copy on disk before the clock starts, not written out during the build
            with one_meeting_added(project):
                measured = mkdocs_build(project)
            seconds.append(measured["seconds"])
            print(
                f"{size:,} meetings, run {run}: {measured['seconds']:.1f} s, peak {measured['peak_kb'] / 1024:,.0f} MB",
                flush=True,
            )
    finally:
        shutil.rmtree(kept, ignore_errors=True)
    print(
        f"publishing one new meeting at {size:,} meetings: median {statistics.median(seconds):.1f} s of {len(seconds)} runs"
    )


if __name__ == "__main__":
    main(int(os.environ.get("BENCH_SIZE", "5000")))
