"""`make profile`: where a whole build's time and memory go, stage by stage, at a council's scale.

Synthesises an archive (PROFILE_MEETINGS, default 5,000 meetings), then builds it
with `mkdocs build` in this process under pyinstrument (time) while sampling this
process's memory, and the search indexer's, as each stage ends. Writes
bench/profile/report.md (the table the README quotes), bench/profile/build.html
(pyinstrument's call tree, to open in a browser) and prints the table.

The build is cold (an empty build cache, which it fills), as a first build is: the
stages are what a warm build skips.
"""

from __future__ import annotations

import os
import resource
import shutil
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mkdocs.commands.build import build
from mkdocs.config import load_config
from pyinstrument import Profiler

from generator import apart
from generator.synthetic import synthesize

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work" / "profile"
OUT = ROOT / "bench" / "profile"
MEETINGS = int(os.environ.get("PROFILE_MEETINGS", "5000"))

# The stages of a build, each the functions whose time (inclusive) it is: (label, file suffix, function name).
STAGES: list[tuple[str, list[tuple[str, str]]]] = [
    ("records read and checked (YAML, model, checks)", [("generator/load.py", "load_content")]),
    ("the archive graph and registers", [("generator/build.py", "archive_of"), ("generator/registers.py", "of")]),
    (
        "pages rendered to Markdown (Jinja)",
        [
            ("generator/render.py", "render"),  # MeetingPages.render: the meetings' pages
            ("generator/render.py", "render_register_pages"),
            ("generator/render.py", "render_attendance_and_people"),
        ],
    ),
    ("feeds, calendars and open data", [("generator/outputs.py", "every_output")]),
    # Made in the search index's thread, which pyinstrument does not follow, where the site is
    # kept in the build cache and indexed (a build that forks makes them in its second process).
    ("search records", [("generator/search.py", "records")]),
    ("Markdown converted to HTML and sanitised (MkDocs' pages read)", [("mkdocs/commands/build.py", "_populate_page")]),
    (
        "pages through the theme, given their policy, written (MkDocs' pages built)",
        [("mkdocs/commands/build.py", "_build_page")],
    ),
    ("search index (Pagefind, in a thread beside the conversion)", [("generator/search.py", "write_index")]),
]
# Parts of the stages above, shown beneath them.
PARTS: list[tuple[str, list[tuple[str, str]]]] = [
    ("of which: sanitising every page body (nh3)", [("generator/sanitise.py", "clean_page")]),
    ("of which: each page's Content-Security-Policy", [("generator/site/csp.py", "with_policy")]),
    (
        "of which: pickling and writing the build cache (one database; the whole site is written from"
        " the search index's thread, which the profiler does not follow)",
        [("generator/cache.py", "_write")],
    ),
]


def _peak(who: int) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def _project(content: Path) -> Path:
    project = WORK / "project"
    shutil.rmtree(project, ignore_errors=True)
    project.mkdir(parents=True)
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(content, project / "content")
    shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages")
    (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    # The project's own configuration, build cache and all: the project is new, so its cache is
    # empty and the build is a cold one, writing the cache as a first build does.
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    return project


def _frames(frame: Any) -> Iterator[Any]:
    yield frame
    for child in frame.children:
        yield from _frames(child)


def _stage_seconds(root: Any, wanted: list[tuple[str, str]]) -> float:
    """The time of the outermost frames of the wanted functions (inner calls are in their parents' time)."""
    total = 0.0

    def walk(frame: Any) -> None:
        nonlocal total
        if any(frame.function == name and frame.file_path and frame.file_path.endswith(path) for path, name in wanted):
            total += frame.time
            return
        for child in frame.children:
            walk(child)

    walk(root)
    return total


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    content = WORK / "content"
    shutil.rmtree(content, ignore_errors=True)
    print(f"synthesising {MEETINGS:,} meetings", flush=True)
    synthesize(content, MEETINGS, seed=1)
    project = _project(content)
    os.chdir(project)
    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(WORK / "site"))
    # Every page converted in the profiled process, so that the conversion is in the profile (a build
    # converts about half of them in a second process, which the profiler does not see).
    config.plugins["minutes"].config.convert_apart = False
    # And the generator's work too: its halves and the records' reading stay in this process
    # (generator.apart runs them one after the other whenever it cannot fork).
    apart.can_fork = lambda: False
    print("building under pyinstrument", flush=True)
    profiler = Profiler(interval=0.005)
    start = time.perf_counter()
    profiler.start()
    build(config)
    session = profiler.stop()
    seconds = time.perf_counter() - start
    (OUT / "build.html").write_text(profiler.output_html(), encoding="utf-8")
    root = session.root_frame()
    rows = [(label, _stage_seconds(root, wanted)) for label, wanted in STAGES]
    accounted = sum(s for _, s in rows)
    rows.append(("everything else (MkDocs' files, navigation, static files, sitemap)", max(seconds - accounted, 0.0)))
    rows += [(label, _stage_seconds(root, wanted)) for label, wanted in PARTS]
    report = render(rows, seconds, _peak(resource.RUSAGE_SELF), _peak(resource.RUSAGE_CHILDREN))
    (OUT / "report.md").write_text(report, encoding="utf-8")
    print(report)


def render(rows: list[tuple[str, float]], seconds: float, self_mb: float, child_mb: float) -> str:
    """The report: a stage table, then the build's peaks."""
    lines = [
        f"A cold `mkdocs build` of {MEETINGS:,} synthetic meetings, profiled with pyinstrument"
        f" ({sys.platform}, {os.cpu_count()} cores); times include the profiler's overhead.",
        "",
        "| stage | seconds | share |",
        "|---|---:|---:|",
    ]
    lines += [f"| {label} | {value:,.1f} | {value / seconds:.0%} |" for label, value in rows]
    lines += [
        f"| **whole build** | **{seconds:,.1f}** | |",
        "",
        f"Peak memory: the build's own process {self_mb:,.0f} MB; the search indexer (Pagefind's"
        f" binary, one bucket at a time) {child_mb:,.0f} MB.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
