"""Safe output: hostile text in every field is refused by validation, and never published.

Two guards are tested apart: validation (every text of every record, placed at its
file, line and field), and the build's own sanitising, with validation bypassed, of
every page, feed, calendar, sitemap and search-index entry. Findings come from an
HTML parser (tests/hostile_html.py) and, last, from a browser that must never run
any of it.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import markdown
import pytest
from playwright.sync_api import Browser
from ruamel.yaml import YAML

from generator.load import load_content
from generator.sanitise import MARKDOWN_EXTENSIONS, plain_text
from generator.source import field_name
from tests.fixtures import ROOT, build_in_process, run_build, serve
from tests.hostile_html import (
    ADDRESS_FIELDS,
    DEFUSED_BY_MARKDOWN,
    HOSTILE,
    INERT,
    MARKER,
    TEXT_FIELDS,
    dangers,
    full_meeting,
    poisoned_content,
    published_texts,
)

# The open data files publish the records exactly as written (changing them would
# change the record); what they may hold is what validation lets in, tested below.
AS_WRITTEN = ("data/meetings.json", "data/people.json", "data/decisions.csv", "data/actions.csv")


@pytest.mark.parametrize("payload", HOSTILE)
def test_the_checker_sees_each_payload_as_a_browser_would_run_it(payload: str) -> None:
    # Without the guards, Markdown would publish something dangerous: so the checks below can fail.
    # Placed in a page unguarded, as HTML or as Markdown would make it, each payload is found.
    unguarded = markdown.markdown(payload, extensions=list(MARKDOWN_EXTENSIONS))
    if payload in DEFUSED_BY_MARKDOWN:
        assert dangers(unguarded) == dangers(payload) == [], unguarded
    else:
        assert dangers(payload) or dangers(unguarded), unguarded


def _yaml_text(data: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    # Records never use anchors and aliases; repeated values are written out each time.
    yaml.representer.ignore_aliases = lambda *args: True
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _fill(data: Any, payload: str, loc: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """(loc, value) for data with payload in each text and address field; the loc of each placed payload."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in TEXT_FIELDS | ADDRESS_FIELDS and isinstance(value, str):
                yield (*loc, key), payload
            elif key in TEXT_FIELDS and isinstance(value, list) and all(isinstance(v, str) for v in value):
                for index in range(len(value)):
                    yield (*loc, key, index), payload
            else:
                yield from _fill(value, payload, (*loc, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _fill(value, payload, (*loc, index))


def _set(data: Any, loc: tuple[Any, ...], value: Any) -> None:
    for part in loc[:-1]:
        data = data[part]
    data[loc[-1]] = value


def _hostile_records(folder: Path, payloads: list[str], addresses: bool = True) -> dict[str, list[str]]:
    """Write registries and one meeting per payload, payload in every field; the fields each file poisons.

    The registries hold only the payloads Markdown would publish as markup (the others
    are accepted there as text); ``addresses`` puts payloads in email and web addresses too.
    """
    (folder / "meetings").mkdir(parents=True)
    placed: dict[str, list[str]] = {}
    registries = {
        "committees.yml": {"committees": [{"id": "board", "name": "Board", "short_name": "B", "description": "D"}]},
        "topics.yml": {"topics": [{"id": "vrap", "title": "T", "summary": "S", "aliases": ["VRAP"]}]},
        "glossary.yml": {"terms": [{"term": "ASB", "expansion": "E", "description": "D"}]},
        "people.yml": {"people": [{"name": "N", "variants": ["V"], "role": "R", "organisation": "O"}]},
    }
    for name, registry in registries.items():
        listed = next(iter(registry))
        template = registry[listed][0]
        payloads_here = [p for p in payloads if not _publishable(p)]
        entries = []
        for index, payload in enumerate(payloads_here):
            entry = {**template, "id": f"x{index}"} if "id" in template else dict(template)
            locs = list(_fill(entry, payload))
            for loc, value in locs:
                _set(entry, loc, value)
            entries.append(entry)
            # Entry 0 is the clean template the meetings refer to; the poisoned ones follow it.
            placed.setdefault(f"content/{name}", []).extend(field_name((listed, index + 1, *loc)) for loc, _ in locs)
        (folder / name).write_text(_yaml_text({listed: [registry[listed][0], *entries]}), encoding="utf-8")
    for index, payload in enumerate(payloads):
        record = full_meeting(index, "board", "vrap", None)
        locs = [(loc, value) for loc, value in _fill(record, payload) if addresses or loc[-1] not in ADDRESS_FIELDS]
        for loc, value in locs:
            _set(record, loc, value)
        path = f"content/meetings/m{index:02d}.yml"
        (folder / "meetings" / f"m{index:02d}.yml").write_text(_yaml_text(record), encoding="utf-8")
        placed[path] = [field_name(loc) for loc, _ in locs]
    return placed


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, list[str]]]:
    folder = tmp_path_factory.mktemp("hostile") / "content"
    return folder, _hostile_records(folder, HOSTILE)


def _publishable(payload: str) -> bool:
    """Whether Markdown alone shows a payload as text (it escapes some malformed tags itself)."""
    return dangers(markdown.markdown(payload, extensions=list(MARKDOWN_EXTENSIONS))) == []


def test_validation_refuses_every_payload_markdown_would_publish_as_markup(
    hostile_folder: tuple[Path, dict[str, list[str]]],
) -> None:
    folder, placed = hostile_folder
    content = load_content(folder, folder.parent)
    refused: dict[str, set[str]] = {}
    for problem in content.errors:
        refused.setdefault(problem.path, set()).add(problem.field)
    expected = {}
    for path, fields in placed.items():
        match = re.search(r"m(\d+)\.yml$", path)
        if match and _publishable(HOSTILE[int(match[1])]):
            # Shown as text on the page, so accepted; only the address fields are refused.
            fields = [f for f in fields if f.rpartition(".")[2] in ADDRESS_FIELDS]
        expected[path] = set(fields)
    missed = {path: sorted(fields - refused.get(path, set())) for path, fields in expected.items()}
    assert {path: fields for path, fields in missed.items() if fields} == {}
    assert sum(not _publishable(p) for p in HOSTILE) >= 50
    # Every message says where and why, in words, never a traceback.
    for problem in content.errors:
        assert problem.line >= 1 and problem.column >= 1
        assert "Traceback" not in str(problem)


def test_a_refusal_names_the_file_line_field_and_what_to_do(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    _hostile_records(folder, ['Minutes\n\n<img src="x" onerror="alert(\'xss\')">'])
    content = load_content(folder, tmp_path)
    messages = [str(p) for p in content.errors if p.path == "content/meetings/m00.yml"]
    assert any(
        re.match(r"content/meetings/m00\.yml:\d+:\d+: items\[0\]\.text: holds an onerror attribute on <img>", m)
        for m in messages
    ), messages
    assert all("(hint: " in m for m in messages)


def test_inert_lookalikes_are_accepted_as_text(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    _hostile_records(folder, INERT, addresses=False)
    content = load_content(folder, tmp_path)
    assert [str(p) for p in content.errors] == []


@pytest.mark.site
def test_the_build_refuses_hostile_records_and_publishes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "content"
    _hostile_records(folder, ["[click](JaVaScRiPt:alert('xss'))"])
    (folder / "pages").mkdir()
    result, site = run_build(folder, tmp_path / "build")
    assert result.returncode != 0
    assert re.search(r"content/meetings/m00\.yml:\d+:\d+: items\[0\]\.text: holds a javascript: address", result.stderr)
    assert "Traceback" not in result.stderr
    assert not (site / "index.html").exists()


@pytest.fixture(scope="module")
def unguarded_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every payload in every field of every kind of record, built with validation bypassed."""
    return build_in_process(poisoned_content(HOSTILE + INERT), tmp_path_factory.mktemp("unguarded"))


def test_the_sanitiser_alone_keeps_every_payload_off_every_output(unguarded_site: Path) -> None:
    kinds: set[str] = set()
    found = []
    for path, kind, text in published_texts(unguarded_site):
        if path in AS_WRITTEN or kind in ("js", "css", "txt"):
            continue
        kinds.add(path.split("/")[0])
        if kind == "ics":
            # Each property's value, unfolded, read as a careless calendar might: as HTML.
            for line in text.replace("\r\n ", "").splitlines():
                found += [f"{path}: {d}" for d in dangers(line.partition(":")[2])]
        else:
            found += [f"{path}: {d}" for d in dangers(text)]
    assert found == []
    # Pages, feeds, calendars, the sitemap and the search index were all read.
    assert {"meetings", "feeds", "calendar", "pagefind", "sitemap.xml", "topics", "committees"} <= kinds


def test_inert_lookalikes_are_published_as_visible_text(unguarded_site: Path) -> None:
    day = dt.date(2019, 1, 1) + dt.timedelta(days=7 * len(HOSTILE))
    text = (unguarded_site / "meetings" / f"{day.isoformat()}-c{len(HOSTILE)}" / "index.html").read_text()
    assert "&lt;script&gt;alert('xss')&lt;/script&gt;" in text
    assert plain_text("&lt;script&gt;alert('xss')&lt;/script&gt;") == ""


def test_no_payload_runs_or_loads_in_a_browser(browser: Browser, unguarded_site: Path) -> None:
    with serve(unguarded_site) as url:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        tab = context.new_page()
        dialogs: list[str] = []
        outside: list[str] = []
        tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        tab.on("request", lambda request: outside.append(request.url) if not request.url.startswith(url) else None)
        addresses = sorted(
            p.parent.relative_to(unguarded_site).as_posix() for p in unguarded_site.glob("*/*/index.html")
        )
        for address in [*addresses, "", "decisions", "actions", "glossary"]:
            tab.goto(f"{url}{address}/" if address else url)
        tab.goto(url + "search/?q=" + MARKER)
        tab.wait_for_selector(".archive-search-page__results li", timeout=10_000)
        context.close()
    assert dialogs == []
    assert [u for u in outside if not u.startswith("data:")] == []


def test_the_real_archive_reads_as_clean() -> None:
    # The checker itself finds nothing in the archive's own seed records as Markdown publishes them.
    for path in (ROOT / "content" / "meetings").rglob("*.yml"):
        assert dangers(markdown.markdown(path.read_text(encoding="utf-8"), extensions=list(MARKDOWN_EXTENSIONS))) == []
