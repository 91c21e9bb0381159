"""The editor's preview, measured as an editor meets it: save a meeting file, see the page change.

Starts `mkdocs serve --dirty` on a project, as `make serve` does (its build cache
warm from a first build), opens a meeting's page in headless Chromium, changes the
title of one of the meeting's items in its YAML file, and times how long until the
page in the browser, reloaded by MkDocs' live reload, shows the new title; then how
long until the whole preview is up to date with it (the registers, topics and data
files the rebuild after it makes), seen in the open data's meetings.json. Each save
is made with the preview idle (its search index, written in the background after
each whole rebuild, done), as an editor who reads the page before the next change
meets it.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def _wait_for(url: str, timeout: float) -> None:
    import urllib.request

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"the preview did not answer at {url} within {timeout:.0f} s")


def _text_of(url: str) -> bytes | None:
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            body: bytes = response.read()
            return body
    except OSError:
        return None


def _wait_until(url: str, done: Callable[[bytes | None], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done(_text_of(url)):
            return
        time.sleep(0.25)
    raise TimeoutError(f"{url} did not {what} within {timeout:.0f} s")


def save_to_visible(browser: Any, project: Path, runs: int, timeout: float = 900) -> dict[str, list[float]]:
    """Seconds from saving a meeting's file to the browser showing the change, and to the whole preview having it."""
    meetings = sorted((project / "content" / "meetings").rglob("*.yml"))
    record = meetings[len(meetings) // 2]
    text = record.read_text(encoding="utf-8")
    # A title, quoted as the synthetic records write them: the page's heading changes with it.
    title = re.search(r'^    title: "([^"]+)"$', text, re.MULTILINE)
    assert title, f"no quoted item title in {record}"
    slug = record.stem
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group, Pagefind's processes with it
    )
    seconds: dict[str, list[float]] = {"visible": [], "settled": []}
    try:
        url = f"http://127.0.0.1:{port}/meetings/{slug}/"
        data = f"http://127.0.0.1:{port}/data/meetings.json"
        index = f"http://127.0.0.1:{port}/pagefind/buckets.json"
        _wait_for(url, timeout)
        _wait_until(index, lambda body: body is not None, timeout, "list the first search index's buckets")
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.goto(url, wait_until="load")
        for run in range(runs):
            new = f"{title.group(1)} (revised {run + 1})"
            changed = text.replace(f'title: "{title.group(1)}"', f'title: "{new}"', 1)
            indexed = _text_of(index)
            start = time.perf_counter()
            record.write_text(changed, encoding="utf-8")
            page.wait_for_function(
                "(words) => document.body && document.body.textContent.includes(words)",
                arg=new,
                timeout=timeout * 1000,
            )
            seconds["visible"].append(time.perf_counter() - start)
            wanted = new.encode("utf-8")
            _wait_until(data, lambda body, wanted=wanted: body is not None and wanted in body, timeout, f"say {new!r}")
            seconds["settled"].append(time.perf_counter() - start)
            # The preview is idle again once the search index has the change too.
            _wait_until(
                index, lambda body, indexed=indexed: body not in (None, indexed), timeout, "list a new search index"
            )
        context.close()
    finally:
        record.write_text(text, encoding="utf-8")
        # Stopped as an editor stops it, with Ctrl-C: the preview finishes the search index under way
        # and deletes its staged files. A plain terminate would leave a Pagefind process indexing on,
        # beside whatever the benchmark measures next (the first search, at 1,000 meetings).
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=180)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
    return seconds


def medians(browser: Any, project: Path, runs: int) -> dict[str, float]:
    """The medians of `runs` saves: seconds to the change being visible, and to the whole preview having it."""
    seconds = save_to_visible(browser, project, runs)
    return {name: statistics.median(values) for name, values in seconds.items()}


def main(sizes: list[int]) -> None:
    """The preview alone, at each size given, as `make bench` measures it: `make bench-preview`."""
    from run import RUNS, built_project, chromium  # bench/run.py, beside this script

    with chromium() as browser:
        for size in sizes:
            project = built_project(size)  # the preview starts from a warm cache, as an editor's does
            found = medians(browser, project, RUNS)
            print(
                f"{size} meetings: save to visible change {found['visible']:.1f} s, "
                f"whole preview up to date {found['settled']:.1f} s (medians of {RUNS})",
                flush=True,
            )


if __name__ == "__main__":
    main([int(n) for n in os.environ.get("BENCH_SIZES", "1000,5000").split(",")])
