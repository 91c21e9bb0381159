"""`make bench`: the archive's speed and memory at 100, 1,000 and 5,000 meetings.

Each figure is the median of several runs (BENCH_RUNS, default 3) and is compared
with a baseline measured in the same run:
- generator throughput: synthetic records loaded, validated and rendered to Markdown;
- the whole `mkdocs build` (search indexing included) against a bare Material
  build of the same Markdown, in time and peak memory;
- in headless Chromium on a loopback server, time from page load to the first
  search result and bytes fetched for it, Pagefind against Material's own search;
- the weight of every built HTML page: the largest, which page it is, and the 95th
  percentile, raw and gzipped, against the page-weight budget.
Writes bench/results.json and bench/results.md. BENCH_SIZES=100,1000 runs fewer sizes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gzip
import http.server
import io
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright
from preview import medians as preview_medians  # bench/preview.py, beside this script
from ruamel.yaml import YAML

from generator.build import build
from generator.synthetic import synthesize

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "work"
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100,1000,5000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
# The preview is measured at these sizes (BENCH_PREVIEW_UP_TO): at 5,000 meetings it takes long.
PREVIEW_UP_TO = int(os.environ.get("BENCH_PREVIEW_UP_TO", "5000"))
QUERY = "knife crime"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# DESIGN.md: no HTML page over 200 KB at 5,000 meetings.
PAGE_BUDGET_KB = 200
TARGETS = {
    "generator_seconds_at_5000": 3.0,
    "build_ratio": 1.6,
    "first_result_ms_at_5000": 300,
    "search_kb_at_5000": 300,
}


def median_of(measure: Callable[[], dict[str, float]]) -> dict[str, float]:
    runs = [measure() for _ in range(RUNS)]
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def generator_throughput(content: Path) -> dict[str, float]:
    """The generator (records to Markdown, data files, indexes and search records): without a cache,
    with a warm one and nothing changed, and with a warm one after one record changed."""
    folder = WORK / "generator-cache"

    def timed(cache: Path | None = None) -> float:
        # In a process of its own, as a build runs the generator (bench/generator_time.py says why).
        command = [sys.executable, str(ROOT / "bench" / "generator_time.py"), str(content)]
        result = subprocess.run(
            [*command, *([str(cache)] if cache else [])], capture_output=True, text=True, check=True
        )
        seconds: float = json.loads(result.stdout.strip().splitlines()[-1])["seconds"]
        return seconds

    def once() -> dict[str, float]:
        shutil.rmtree(folder, ignore_errors=True)
        cold = timed()
        timed(folder)  # fills the cache
        warm = timed(folder)
        record = sorted((content / "meetings").rglob("*.yml"))[-1]
        text = record.read_text(encoding="utf-8")
        record.write_text(
            text.replace("Apologies were received as listed.", "Apologies were received.", 1), encoding="utf-8"
        )
        try:
            one_changed = timed(folder)
        finally:
            record.write_text(text, encoding="utf-8")
        return {"seconds": cold, "warm_seconds": warm, "one_changed_seconds": one_changed}

    return median_of(once)


def _config(extra: dict[str, Any]) -> dict[str, Any]:
    yaml = YAML(typ="rt")
    config: dict[str, Any] = yaml.load(ROOT / "mkdocs.yml")
    config.update(extra)
    return config


def projects(size: int, content: Path) -> dict[str, Path]:
    """Three builds of the same archive: ours, bare Material, Material with its own search."""
    base = WORK / str(size)
    ours = base / "ours"
    bare = base / "bare"
    lunr = base / "material-search"
    for folder in (ours, bare, lunr):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
        shutil.copytree(ROOT / "overrides", folder / "overrides")
    yaml = YAML(typ="rt")
    shutil.copytree(content, ours / "content")
    # The editor at /admin/ is built from the project's npm packages.
    (ours / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    shutil.copytree(ROOT / "content" / "pages", ours / "content" / "pages")
    yaml.dump(_config({}), ours / "mkdocs.yml")
    # The same Markdown, written out, for builds without the minutes plugin.
    pages = build(content, "Safer Bromley Partnership minutes archive").pages
    for folder, plugins in ((bare, []), (lunr, ["search"])):
        docs = folder / "docs"
        shutil.copytree(ROOT / "content" / "pages", docs)
        for path, markdown in pages.items():
            (docs / path).parent.mkdir(parents=True, exist_ok=True)
            (docs / path).write_text(markdown, encoding="utf-8")
        config = _config({"docs_dir": "docs", "plugins": plugins})
        if plugins:  # Material's own search box needs Material's header back.
            config["extra_javascript"] = [js for js in config["extra_javascript"] if not js.endswith("search.js")]
            (folder / "overrides" / "partials" / "header.html").unlink()
        yaml.dump(config, folder / "mkdocs.yml")
    return {"ours": ours, "bare": bare, "material-search": lunr}


def cold_build(project: Path) -> dict[str, float]:
    """A whole build from nothing: the build cache, if the project keeps one, is deleted first."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    return mkdocs_build(project)


def publish_one_meeting(project: Path) -> dict[str, float]:
    """`make site` after adding one meeting, the previous build's cache kept: the time of that build."""
    shutil.rmtree(project / ".cache", ignore_errors=True)
    mkdocs_build(project)
    with one_meeting_added(project):
        return mkdocs_build(project)


@contextlib.contextmanager
def one_meeting_added(project: Path) -> Iterator[Path]:
    """The project with a copy of its newest meeting a week later, as an editor adds the next one; removed after."""
    records = sorted((project / "content" / "meetings").rglob("*.yml"))
    last = records[-1]
    text = last.read_text(encoding="utf-8")
    day = text.split("date: ", 1)[1].split("\n", 1)[0]
    later = dt.date.fromisoformat(day) + dt.timedelta(days=7)
    added = last.with_name(last.name.replace(day, later.isoformat()))
    announced = text.split("next_meeting:\n  date: ", 1)[1].split("\n", 1)[0]
    new = text.replace(f"date: {day}", f"date: {later.isoformat()}", 1).replace(
        f"next_meeting:\n  date: {announced}",
        f"next_meeting:\n  date: {max(dt.date.fromisoformat(announced), later + dt.timedelta(days=28)).isoformat()}",
    )
    added.write_text(new, encoding="utf-8")
    try:
        yield added
    finally:
        added.unlink()


def mkdocs_build(project: Path) -> dict[str, float]:
    command = [
        sys.executable,
        str(ROOT / "bench" / "measure.py"),
        sys.executable,
        "-m",
        "mkdocs",
        "build",
        "-q",
    ]
    result = subprocess.run(
        command,
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# What GitHub Pages, where the archive is published, sends gzipped to a browser that accepts it: its
# text files. Pagefind's index files and WebAssembly are compressed already, and are sent as they are.
_COMPRESSED = (".html", ".css", ".js", ".json", ".xml", ".svg", ".txt", ".map")


class _AsPublished(http.server.SimpleHTTPRequestHandler):
    """The built site served as the published one is: text files gzipped, every response cacheable for
    ten minutes (GitHub Pages' ``Cache-Control: max-age=600``), and no log lines."""

    def log_message(self, format: str, *args: object) -> None:
        pass

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def send_head(self) -> Any:
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # redirected to the folder's address with its slash
            path = path / "index.html"
        if (
            path.suffix not in _COMPRESSED
            or not path.is_file()
            or "gzip" not in self.headers.get("Accept-Encoding", "")
        ):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_AsPublished, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def page_weights(site: Path) -> dict[str, Any]:
    """The weight of the built site's HTML pages: the largest (and which it is) and the 95th percentile, raw and gzipped."""
    sizes = []
    for html in site.rglob("*.html"):
        data = html.read_bytes()
        sizes.append((len(data), len(gzip.compress(data, compresslevel=6, mtime=0)), html.relative_to(site).as_posix()))
    raw = sorted(size for size, _, _ in sizes)
    packed = sorted(size for _, size, _ in sizes)
    largest = max(sizes)

    def p95(values: list[int]) -> int:
        return values[min(len(values) - 1, int(len(values) * 0.95))]

    return {
        "pages": len(sizes),
        "largest_kb": largest[0] / 1024,
        "largest_gzip_kb": largest[1] / 1024,
        "largest_page": largest[2],
        "p95_kb": p95(raw) / 1024,
        "p95_gzip_kb": p95(packed) / 1024,
    }


def first_result(browser: Any, url: str, kind: str) -> dict[str, float]:
    """Load the home page, type the query at once, and time the first result.

    The time is the page's own, from the moment typing starts to the moment the first
    result is in the page. The bytes are those of every request that finishes after
    the page's load event, the page's own and its workers' alike (Pagefind fetches its
    index from a worker, which the page's own network events never see), as Playwright
    reports them for the whole browser context: each response's headers and body.
    """
    # Set up in the page before the query is typed: the page's clock when typing starts,
    # and when the first result is in the document, noted by a MutationObserver the
    # moment it is added. Playwright's wait_for_selector alone would time its own
    # polling, which backs off to half a second between looks.
    watch = """selector => {
      window.__firstResult = null;
      new MutationObserver((changes, observer) => {
        if (document.querySelector(selector)) {
          window.__firstResult = performance.now();
          observer.disconnect();
        }
      }).observe(document, { subtree: true, childList: true, attributes: true });
      window.__typingStarts = performance.now();
    }"""

    def transferred(request: Any) -> int:
        # Playwright reports no body size for a worker's own script (Pagefind's
        # pagefind-worker.js, 41 KB, comes out as 0): there the Content-Length stands in.
        sizes = request.sizes()
        body = int(sizes["responseBodySize"])
        if body < 0:
            # From the browser's cache (filled by a request made earlier for the first search): the
            # body is reported as minus the headers' size, and nothing came over the network.
            return 0
        if body == 0:
            response = request.response()
            length = response.header_value("content-length") if response else None
            body = int(length) if length and length.isdigit() else 0
        return int(sizes["responseHeadersSize"]) + body

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    finished: list[Any] = []
    loaded = {"done": False}
    page.on("load", lambda: loaded.__setitem__("done", True))
    context.on("requestfinished", lambda request: finished.append(request) if loaded["done"] else None)
    page.goto(url, wait_until="load")
    loaded["done"] = True
    box, result = (
        ("#archive-search-input", ".archive-search__results .archive-result")
        if kind == "ours"
        else ("input.md-search__input", ".md-search-result__item")
    )
    page.evaluate(watch, result)
    page.fill(box, QUERY)
    page.wait_for_selector(result, timeout=180_000)
    elapsed = float(page.evaluate("window.__firstResult - window.__typingStarts"))
    page.wait_for_timeout(500)  # let the rest of the results' requests finish, to count them too
    kb = {part: 0.0 for part in _PARTS}
    for request in finished:
        kb[_part_of(request.url)] += transferred(request) / 1024
    context.close()
    return {"ms": elapsed, "kb": sum(kb.values()), **{f"kb_{part}": size for part, size in kb.items()}}


# What the first search fetches, by the part of Pagefind's bundle it is (its folders and
# files): the engine is the same bytes at any size, the rest grows with the archive.
_PARTS = ("engine", "metadata", "index", "fragments", "other")


def _part_of(url: str) -> str:
    path = url.split("?", 1)[0]
    if re.search(r"/(pagefind\.js|pagefind-worker\.js|wasm\.[a-z-]+\.pagefind)$", path):
        return "engine"
    if path.endswith((".pf_meta", "pagefind-entry.json", "buckets.json")):
        return "metadata"
    if "/index/" in path or "/filter/" in path:
        return "index"
    return "fragments" if "/fragment/" in path else "other"


@contextlib.contextmanager
def chromium() -> Iterator[Any]:
    """Headless Chromium, as every browser measurement here runs it: nothing of its own on the network."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


def synthetic_content(size: int) -> Path:
    """A synthetic archive's content folder of ``size`` meetings, made afresh (the same every time)."""
    content = WORK / str(size) / "content"
    shutil.rmtree(content, ignore_errors=True)
    synthesize(content, size, seed=1)
    return content


def built_project(size: int) -> Path:
    """Our project of a synthetic archive of ``size`` meetings, built once as `make site` builds it."""
    project = projects(size, synthetic_content(size))["ours"]
    mkdocs_build(project)
    return project


def main() -> None:
    report: dict[str, Any] = {"runs": RUNS, "query": QUERY, "sizes": {}}
    with chromium() as browser:
        for size in SIZES:
            print(f"{size} meetings: synthesising", flush=True)
            content = synthetic_content(size)
            figures: dict[str, Any] = {}
            print(f"{size} meetings: generator", flush=True)
            figures["generator"] = generator_throughput(content)
            figures["generator"]["meetings_per_second"] = size / figures["generator"]["seconds"]
            built = projects(size, content)
            for name, project in built.items():
                print(f"{size} meetings: build {name}", flush=True)
                figures[f"build_{name}"] = median_of(functools.partial(cold_build, project))
            print(f"{size} meetings: publishing one new meeting", flush=True)
            figures["publish_one"] = median_of(functools.partial(publish_one_meeting, built["ours"]))
            if size <= PREVIEW_UP_TO:
                print(f"{size} meetings: preview", flush=True)
                mkdocs_build(built["ours"])  # the preview starts from a warm cache, as an editor's does
                preview = preview_medians(browser, built["ours"], RUNS)
                figures["preview"] = {"seconds": preview["visible"]}
                figures["preview_settled"] = {"seconds": preview["settled"]}
            for name in ("ours", "material-search"):
                print(f"{size} meetings: search {name}", flush=True)
                with serve(built[name] / "site") as url:
                    figures[f"search_{name}"] = median_of(functools.partial(first_result, browser, url, name))
            figures["pages"] = page_weights(built["ours"] / "site")
            figures["build_time_ratio"] = figures["build_ours"]["seconds"] / figures["build_bare"]["seconds"]
            figures["build_memory_ratio"] = figures["build_ours"]["peak_kb"] / figures["build_bare"]["peak_kb"]
            report["sizes"][str(size)] = figures
    (ROOT / "bench" / "results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    table = render_table(report)
    (ROOT / "bench" / "results.md").write_text(table, encoding="utf-8")
    print(table)


def render_table(report: dict[str, Any]) -> str:
    lines = [
        f'Medians of {report["runs"]} runs; search query "{report["query"]}"; 2-core machine, loopback server.',
        "",
        "| meetings | generator (s) | meetings/s | build ours (s) | bare Material (s) | time ratio | peak MB ours | peak MB bare | memory ratio | Pagefind first result (ms) | Pagefind KB | Material search first result (ms) | Material search KB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, f in report["sizes"].items():
        lines.append(
            f"| {int(size):,} | {f['generator']['seconds']:.2f} | {f['generator']['meetings_per_second']:,.0f}"
            f" | {f['build_ours']['seconds']:.1f} | {f['build_bare']['seconds']:.1f} | {f['build_time_ratio']:.2f}"
            f" | {f['build_ours']['peak_kb'] / 1024:,.0f} | {f['build_bare']['peak_kb'] / 1024:,.0f}"
            f" | {f['build_memory_ratio']:.2f}"
            f" | {f['search_ours']['ms']:,.0f} | {f['search_ours']['kb']:,.0f}"
            f" | {f['search_material-search']['ms']:,.0f} | {f['search_material-search']['kb']:,.0f} |"
        )
    lines += [
        "",
        "What the build cache saves: the generator without a cache, warm with nothing changed, and warm after"
        " one record changed; `make site` after adding one meeting, the previous build's cache kept; and the"
        " editor's preview, from saving a meeting's file under `make serve` to the browser showing the change,"
        " and to the whole preview (registers, topics, data files) having it.",
        "",
        "| meetings | generator cold (s) | generator warm (s) | generator, one record changed (s)"
        " | publish one new meeting (s) | preview: save to visible change (s) | preview: save to all up to date (s) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for size, f in report["sizes"].items():
        g = f["generator"]
        preview = f"{f['preview']['seconds']:.1f}" if "preview" in f else "not measured"
        settled = f"{f['preview_settled']['seconds']:.1f}" if "preview_settled" in f else "not measured"
        lines.append(
            f"| {int(size):,} | {g['seconds']:.2f} | {g['warm_seconds']:.2f} | {g['one_changed_seconds']:.2f}"
            f" | {f['publish_one']['seconds']:.1f} | {preview} | {settled} |"
        )
    lines += [
        "",
        f"Page weight of the built HTML pages (budget: none over {PAGE_BUDGET_KB} KB raw).",
        "",
        "| meetings | pages | largest KB | largest KB gzipped | largest page | 95th percentile KB | 95th percentile KB gzipped |",
        "|---:|---:|---:|---:|---|---:|---:|",
    ]
    for size, f in report["sizes"].items():
        w = f["pages"]
        lines.append(
            f"| {int(size):,} | {w['pages']:,} | {w['largest_kb']:,.0f} | {w['largest_gzip_kb']:,.0f}"
            f" | `{w['largest_page']}` | {w['p95_kb']:,.0f} | {w['p95_gzip_kb']:,.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
