"""The build cache: it saves work, and can never serve a stale record, page or index, nor change the site."""

from __future__ import annotations

import filecmp
import json
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest

from generator import build as pipeline
from generator import cache as build_cache
from generator import load
from generator.build import build
from generator.cache import BuildCache
from generator.load import load_content
from generator.site.page_cache import PageCache
from tests.fixtures import FIXTURE_ARCHIVE, VALID, build_project, make_project, write_content


def counting_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every meeting record the loader parses from now on (the small registries are read every time)."""
    parsed: list[str] = []
    real = load.read_yaml

    def read(path: Path, display: str) -> object:
        if path.parent.name == "meetings":
            parsed.append(path.name)
        return real(path, display)

    monkeypatch.setattr(load, "read_yaml", read)
    return parsed


def test_an_unchanged_record_is_not_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_content(tmp_path, {"a.yml": VALID, "b.yml": VALID.replace("2021-06-17", "2021-09-09")})
    cache = BuildCache(tmp_path / "cache")
    parsed = counting_reads(monkeypatch)
    first = load_content(content, tmp_path, cache)
    second = load_content(content, tmp_path, cache)
    assert parsed == ["a.yml", "b.yml"]
    assert [m.meeting for m in second.meetings] == [m.meeting for m in first.meetings]


def test_one_changed_byte_is_read_again_and_its_error_seen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_content(tmp_path, {"a.yml": VALID, "b.yml": VALID.replace("2021-06-17", "2021-09-09")})
    cache = BuildCache(tmp_path / "cache")
    assert load_content(content, tmp_path, cache).problems == []
    parsed = counting_reads(monkeypatch)
    # One byte: the status's first letter.
    (content / "meetings" / "b.yml").write_text(
        VALID.replace("2021-06-17", "2021-09-09").replace("approved", "Approved")
    )
    problems = [str(p) for p in load_content(content, tmp_path, cache).problems]
    assert parsed == ["b.yml"]
    assert problems == [
        "content/meetings/b.yml:3:9: status: 'Approved' is not allowed (hint: use one of: draft or approved)"
    ]


def test_a_new_version_of_the_code_reads_every_record_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_content(tmp_path, {"a.yml": VALID})
    cache = BuildCache(tmp_path / "cache")
    load_content(content, tmp_path, cache)
    parsed = counting_reads(monkeypatch)
    monkeypatch.setattr(build_cache, "code_version", lambda: "a later version of the code")
    load_content(content, tmp_path, cache)
    assert parsed == ["a.yml"]


def test_a_deleted_record_is_gone_and_a_registry_change_rechecks_every_record(tmp_path: Path) -> None:
    content = write_content(tmp_path, {"a.yml": VALID, "b.yml": VALID.replace("2021-06-17", "2021-09-09")})
    cache = BuildCache(tmp_path / "cache")
    assert len(load_content(content, tmp_path, cache).meetings) == 2
    (content / "meetings" / "b.yml").unlink()
    assert [m.source for m in load_content(content, tmp_path, cache).meetings] == ["content/meetings/a.yml"]
    # The records did not change, but the committee they name is gone from the registry.
    (content / "committees.yml").write_text("committees:\n  - id: other\n    name: Other\n", encoding="utf-8")
    problems = [str(p) for p in load_content(content, tmp_path, cache).problems]
    assert problems and "unknown committee 'board'" in problems[0]


def test_nothing_changed_takes_the_whole_build_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(FIXTURE_ARCHIVE, tmp_path / "content")
    cache = BuildCache(tmp_path / "cache")
    made = build(tmp_path / "content", "Test", cache=cache)

    def fail(*args: object, **kwargs: object) -> None:
        raise AssertionError("the records were read again")

    monkeypatch.setattr(pipeline, "load_content", fail)
    again = build(tmp_path / "content", "Test", cache=cache)
    assert again.pages == made.pages and again.data_files == made.data_files
    # A changed input is never answered from the cache.
    monkeypatch.undo()
    meeting = tmp_path / "content" / "meetings" / "2020-03-12-board.yml"
    meeting.write_text(meeting.read_text().replace("Knife crime update", "Knife crime report"), encoding="utf-8")
    changed = build(tmp_path / "content", "Test", cache=cache)
    assert "Knife crime report" in changed.pages["meetings/2020-03-12-board.md"]
    assert changed.pages == build(tmp_path / "content", "Test").pages


# The Board's next meeting: it changes its neighbour's page, the topic's, the registers' and more.
NEW_MEETING = """\
committee: board
date: 2021-09-09
status: draft
items:
  - number: "40/21"
    title: Violence reduction
    text: The Board heard about the VRAP.
    topics: [vrap]
    action_updates:
      - action: 2021-06-17-board/39-20/1
        status: done
"""


def same_folders(left: Path, right: Path) -> list[str]:
    """The files that differ between two folders, or are in one only."""
    differ: list[str] = []
    compared = filecmp.dircmp(left, right)
    differ += compared.left_only + compared.right_only
    differ += [name for name in compared.common_files if not filecmp.cmp(left / name, right / name, shallow=False)]
    for name in compared.common_dirs:
        differ += [f"{name}/{inner}" for inner in same_folders(left / name, right / name)]
    return differ


def sites_kept(project: Path) -> int:
    """How many whole sites a project's build cache holds."""
    with sqlite3.connect(project / ".cache" / "minutes" / build_cache.DATABASE) as database:
        (count,) = database.execute("SELECT count(*) FROM entries WHERE kind = 'site'").fetchone()
    return int(count)


@pytest.mark.site
def test_cold_warm_and_no_cache_builds_are_byte_identical(tmp_path: Path) -> None:
    project = make_project(tmp_path / "cached", FIXTURE_ARCHIVE)
    bare = make_project(tmp_path / "bare", FIXTURE_ARCHIVE)
    config = bare / "mkdocs.yml"
    config.write_text(config.read_text().replace("      cache_dir: .cache/minutes\n", ""), encoding="utf-8")
    sites = {}
    for name, where in (("cold", project), ("warm", project), ("none", bare)):
        result = build_project(where, tmp_path / name)
        assert result.returncode == 0, result.stderr
        sites[name] = tmp_path / name
        if name == "warm":
            assert "came from the build cache" in result.stderr
            assert not (bare / ".cache").exists()
    assert (project / ".cache" / "minutes").is_dir()
    assert sites_kept(project) == 1  # the site, kept by the search index's thread, for the warm build
    assert same_folders(sites["cold"], sites["warm"]) == []
    assert same_folders(sites["cold"], sites["none"]) == []
    # A new meeting with a warm cache, built into the same site folder as the build before (as
    # `make site` is): the pages it changes are made again, the rest reused (the search bundles the
    # site already had among them), and the site is what a build without any cache makes.
    for folder in (project, bare):
        added = folder / "content" / "meetings" / "2021-09-09-board.yml"
        added.write_text(NEW_MEETING, encoding="utf-8")
    for site, where in ((sites["warm"], project), (tmp_path / "added-none", bare)):
        result = build_project(where, site)
        assert result.returncode == 0, result.stderr
    assert same_folders(sites["warm"], tmp_path / "added-none") == []
    assert sites_kept(project) == 1  # the new one; the one before is swept
    # Deleting the cache is safe: the next build is a cold one, and the same.
    shutil.rmtree(project / ".cache")
    assert build_project(project, tmp_path / "after-delete").returncode == 0
    assert same_folders(tmp_path / "after-delete", tmp_path / "added-none") == []


@pytest.mark.site
def test_a_build_into_an_old_site_folder_leaves_nothing_of_it_but_the_owners_hidden_files(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", FIXTURE_ARCHIVE)
    site = tmp_path / "site"
    assert build_project(project, site).returncode == 0
    # What an older build published and this one does not, and a hidden file of the owner's (MkDocs
    # never deletes those): the search index set aside in the site's folder must not stay beside it.
    (site / "meetings" / "1999-01-01-gone").mkdir()
    (site / "meetings" / "1999-01-01-gone" / "index.html").write_text("gone", encoding="utf-8")
    (site / ".nojekyll").write_text("", encoding="utf-8")
    result = build_project(project, site)
    assert result.returncode == 0, result.stderr
    assert not (site / "meetings" / "1999-01-01-gone").exists()
    assert sorted(p.name for p in site.iterdir() if p.name.startswith(".")) == [".nojekyll"]
    (site / ".nojekyll").unlink()
    assert build_project(project, tmp_path / "fresh").returncode == 0
    assert same_folders(site, tmp_path / "fresh") == []


@pytest.mark.site
def test_the_preview_rebuilds_a_changed_meeting_and_shows_every_new_error(tmp_path: Path) -> None:
    import os
    import socket
    import subprocess
    import sys
    import threading
    import time
    import urllib.request

    project = make_project(tmp_path, FIXTURE_ARCHIVE)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stderr=subprocess.PIPE,
        text=True,
    )
    said: list[str] = []
    threading.Thread(target=lambda: said.extend(iter(server.stderr.readline, "")), daemon=True).start()  # type: ignore[union-attr]

    def page_says(words: str, timeout: float = 90, page: str = "meetings/2020-03-12-board/") -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{page}") as response:
                    if words in response.read().decode("utf-8"):
                        return True
            except OSError:
                pass
            time.sleep(0.5)
        return False

    def log_says(words: str, timeout: float = 90) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(words in line for line in said):
                return True
            time.sleep(0.5)
        return False

    try:
        assert page_says("Knife crime update")
        meeting = project / "content" / "meetings" / "2020-03-12-board.yml"
        said.clear()
        meeting.write_text(meeting.read_text().replace("Knife crime update", "Knife crime report"), encoding="utf-8")
        assert page_says("Knife crime report")
        # The meeting's page is shown first, from a rebuild of the meetings' pages alone; the rebuild
        # that follows brings what gathers across the archive up to date: the topic, the register,
        # the open data.
        assert page_says("Knife crime report", page="topics/knife-crime/")
        assert page_says("Knife crime report", page="decisions/2020/")
        assert page_says("Knife crime report", page="data/meetings.json")
        # Only what the meeting changed is converted again, in each of the two rebuilds; the first
        # hands on the data files as they were, the second makes them again.
        pattern = r"preview: (\d+) of (\d+) generated pages changed and are rebuilt; (\d+) of \d+ data files"
        rebuilds = [tuple(map(int, found)) for found in re.findall(pattern, "".join(said))]
        assert len(rebuilds) == 2, said
        (first, total, first_data), (then, _, then_data) = rebuilds
        assert 1 <= first < total / 3 and 1 <= then < total / 3, rebuilds
        assert first_data == 0 < then_data, rebuilds
        # Someone new owns an action: the page links to a person's page that only the whole rebuild makes.
        # The first rebuild shows the meeting with them all the same, and the second makes their page.
        said.clear()
        meeting.write_text(meeting.read_text().replace("name: Ann Example", "name: Zed Newcomer"), encoding="utf-8")
        assert page_says("people/zed-newcomer/")
        assert page_says("Zed Newcomer", page="people/zed-newcomer/")
        assert log_says("preview: ") and not any("Aborted" in line or "rror" in line for line in said), said
        # Two mistakes at once: the preview lists both, placed, as `minutes validate` does.
        broken = (
            meeting.read_text()
            .replace("status: approved", "status: aproved")
            .replace("date: 2020-03-12", "date: 2020-03-32")
        )
        meeting.write_text(broken, encoding="utf-8")
        assert log_says("content/meetings/2020-03-12-board.yml:2:7: date: 2020-03-32 is not a day in the calendar")
        assert log_says("content/meetings/2020-03-12-board.yml:5:9: status: 'aproved' is not allowed")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_finished_pages_key_follows_the_anchors_it_links_to_with_its_scans_cached(tmp_path: Path) -> None:
    linking = "See [the minute](../2021/board.md#item-3) and [the about page](../about.md).\n"
    target = "# Board\n\n## Item 3 {#item-3}\n\nWords.\n"

    def key(target_text: str, folder: Path | None) -> str:
        sources = {"topics/vrap.md": linking, "2021/board.md": target_text, "about.md": "# About\n"}
        return PageCache(BuildCache(folder), "config", sources).key("topics/vrap.md", linking, {}, None)

    cold = key(target, tmp_path / "cache")
    with sqlite3.connect(tmp_path / "cache" / build_cache.DATABASE) as kept:
        assert kept.execute("SELECT count(*) FROM entries WHERE kind = 'page-scans'").fetchone()[0] > 0, "scans kept"
    # A second build reads its scans from the cache, and the key is the one worked out from the text.
    assert key(target, tmp_path / "cache") == cold == key(target, None)
    # The page linked to changes its words: the linking page is as it was.
    assert key(target.replace("Words.", "Other words."), tmp_path / "cache") == cold
    # It loses the anchor linked to: the linking page must be made again (its link now warns).
    assert key(target.replace(" {#item-3}", ""), tmp_path / "cache") != cold
    # A page linked to without an anchor is gone: made again too.
    sources = {"topics/vrap.md": linking, "2021/board.md": target}
    assert PageCache(BuildCache(tmp_path / "cache"), "config", sources).key("topics/vrap.md", linking, {}, None) != cold


def test_a_preview_shows_the_saved_meeting_first_and_the_whole_build_follows(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_ARCHIVE, content)
    cache = BuildCache(tmp_path / "cache", remember=True)
    shown = build(content, "Test", cache=cache)
    meeting = content / "meetings" / "2020-03-12-board.yml"
    meeting.write_text(meeting.read_text().replace("Knife crime update", "Knife crime report"), encoding="utf-8")
    cache.begin()
    partial = pipeline.preview(content, "Test", shown, cache=cache)
    # The saved meeting's page, and the lists of meetings, are made from the saved record.
    assert partial.partial
    assert "Knife crime report" in partial.pages["meetings/2020-03-12-board.md"]
    assert partial.pages.keys() == shown.pages.keys()
    # What gathers across the archive is the shown site's until the whole build: it has no search records.
    assert partial.pages["topics/knife-crime.md"] == shown.pages["topics/knife-crime.md"]
    assert partial.data_files is shown.data_files
    cache.begin()
    whole = build(content, "Test", cache=cache)
    assert not whole.partial
    assert "Knife crime report" in whole.pages["topics/knife-crime.md"]
    fresh = build(content, "Test")
    assert (whole.pages, whole.data_files, whole.index_files) == (fresh.pages, fresh.data_files, fresh.index_files)
    # A saved mistake stops the preview at once, every error listed, as the build lists them.
    meeting.write_text(
        meeting.read_text()
        .replace("status: approved", "status: aproved")
        .replace("date: 2020-03-12", "date: 2020-03-32"),
        encoding="utf-8",
    )
    with pytest.raises(pipeline.InvalidRecords) as invalid:
        pipeline.preview(content, "Test", whole, cache=cache)
    assert {(2, "date"), (5, "status")} <= {(p.line, p.field) for p in invalid.value.errors}


def test_a_cache_that_is_not_a_database_is_started_afresh(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    folder.mkdir()
    # A cache cut short (a full disk, an interrupted restore): the next build starts cold, and says nothing.
    (folder / build_cache.DATABASE).write_bytes(b"not a database at all")
    cache = BuildCache(folder)
    assert cache.get_object("records", "a-key") is None
    cache.put_object("records", "a-key", {"meeting": "2021-06-17-board"})
    cache.close()
    assert BuildCache(folder).get_object("records", "a-key") == {"meeting": "2021-06-17-board"}
    # An entry larger than is made in memory is kept whole as well, in a cache not yet made too.
    large = "minutes " * 400_000
    cache = BuildCache(tmp_path / "new" / "cache")
    cache.put("pages", "large", large.encode())
    cache.put_object("records", "a-key", {"meeting": "2021-06-17-board"})
    cache.close()
    assert BuildCache(tmp_path / "new" / "cache").get("pages", "large") == large.encode()
    # What a build did not ask for is swept.
    cache = BuildCache(tmp_path / "new" / "cache")
    assert cache.get("pages", "large") is not None
    cache.sweep("pages")
    cache.sweep("records")
    assert BuildCache(tmp_path / "new" / "cache").get_object("records", "a-key") is None
    assert BuildCache(tmp_path / "new" / "cache").get("pages", "large") == large.encode()


def test_the_generators_two_processes_make_what_one_makes_with_a_cold_cache_a_warm_one_and_none(
    tmp_path: Path,
) -> None:
    """Where each piece of work is done (generator.build.site_from) depends on the cache and on a
    second process being there; the site, its pages' order and its search records do not."""
    from generator.synthetic import synthesize

    content = tmp_path / "content"
    synthesize(content, 60, seed=5)
    changed = sorted((content / "meetings").rglob("*.yml"))[30]
    script = f"""
import hashlib, json, pickle, sys
from pathlib import Path
from generator import apart
from generator.build import build
from generator.cache import BuildCache
if sys.argv[1] == "one":
    apart.can_fork = lambda: False
content, changed = Path({str(content)!r}), Path({str(changed)!r})
def summary(site):
    digest = lambda value: hashlib.sha256(pickle.dumps(value)).hexdigest()
    return [list(site.pages), digest(site.pages), digest(site.data_files), digest(site.index_files),
            digest([(r.url, r.content, r.meta, r.filters, r.sort) for r in site.search_records])]
cache = BuildCache(Path(sys.argv[2]))
made = {{"none": summary(build(content, "Archive")), "cold": summary(build(content, "Archive", cache=cache))}}
changed.write_text(changed.read_text().replace("status: approved", "status: draft", 1))
made["warm"] = summary(build(content, "Archive", cache=cache))
changed.write_text(changed.read_text().replace("status: draft", "status: approved", 1))
print(json.dumps(made))
"""

    def made(processes: str) -> dict[str, list[object]]:
        run = subprocess.run(
            [sys.executable, "-c", script, processes, str(tmp_path / f"cache-{processes}")],
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        return cast(dict[str, list[object]], json.loads(run.stdout))

    two, one = made("two"), made("one")
    assert two == one
    assert one["none"] == one["cold"] and one["warm"] != one["cold"]
    assert one["warm"][0] == one["cold"][0]  # the same pages, in the same order
