"""The editor at /admin/, driven in Chromium as a clerk uses it, against decap-server on a copy of the records.

decap-server (npm, pinned) runs in its git mode over a git repository holding a copy
of the real content, so the editorial workflow is the one a council's repository gets:
each saved meeting is a branch, ``cms/meetings/<year>/<slug>``, read back here with git.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from ruamel.yaml import YAML

from generator.load import load_content
from tests.fixtures import ROOT, serve
from tests.test_accessibility import AXE, AXE_TAGS

DECAP_SERVER = ROOT / "node_modules" / ".bin" / "decap-server"
# Decap CMS looks for decap-server here when `local_backend` is on (admin/config.yml).
PROXY = ("localhost", 8081)
# Who commits for decap-server: the clerk signed in, on GitHub.
CLERK = {"NAME": "A Clerk", "EMAIL": "clerk@example.invalid"}
RECORD = "content/meetings/2021/2021-06-17-board.yml"


def _git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository holding a copy of the real records and schemas, as a council's would."""
    repo = tmp_path_factory.mktemp("repository")
    shutil.copytree(ROOT / "content", repo / "content")
    shutil.copytree(ROOT / "schema", repo / "schema")
    _git(repo, "init", "-q", "-b", "main")
    _git(repo, "add", "-A")
    _git(repo, "-c", f"user.name={CLERK['NAME']}", "-c", f"user.email={CLERK['EMAIL']}", "commit", "-qm", "records")
    return repo


@pytest.fixture(scope="module")
def editor_url(real_site: Path, repository: Path) -> Iterator[str]:
    """The built site's /admin/, with decap-server answering for the repository."""
    if not DECAP_SERVER.is_file():
        pytest.fail(f"decap-server is not installed at {DECAP_SERVER}: run `npm ci`")
    with socket.socket() as probe:
        if probe.connect_ex(PROXY) == 0:
            pytest.fail(f"port {PROXY[1]} is taken: decap-server needs it (stop the other one)")
    who = {f"GIT_{role}_{part}": value for role in ("AUTHOR", "COMMITTER") for part, value in CLERK.items()}
    env = {**os.environ, **who, "GIT_REPO_DIRECTORY": str(repository), "PORT": str(PROXY[1]), "MODE": "git"}
    log = (repository.parent / "decap-server.log").open("w")
    server = subprocess.Popen([str(DECAP_SERVER)], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            with socket.socket() as probe:
                if probe.connect_ex(PROXY) == 0:
                    break
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail(f"decap-server did not start: {log.name}")
            time.sleep(0.2)
        with serve(real_site) as url:
            yield url + "admin/"
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


class Clerk:
    """A clerk at the editor: finds fields by their labels, as a screen reader would."""

    def __init__(self, page: Page, url: str) -> None:
        self.page, self.url = page, url
        self.requests: list[str] = []
        self.violations: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", lambda message: self._csp(message.text))
        page.add_init_script(
            "document.addEventListener('securitypolicyviolation',"
            " e => console.log('CSP-VIOLATION ' + e.effectiveDirective + ' ' + e.blockedURI))"
        )
        page.goto(url)
        page.get_by_role("button", name="Login").click()
        expect(page.get_by_role("heading", name="Meetings")).to_be_visible()

    def _csp(self, text: str) -> None:
        if text.startswith("CSP-VIOLATION"):
            self.violations.append(text)

    def field(self, label: str) -> Locator:
        """The last visible field with this label: the one just added, in a list."""
        pattern = re.compile("^" + re.escape(label) + r"( \(optional\))?$")
        return self.page.get_by_label(pattern).filter(visible=True).last

    def choose(self, label: str, option: str) -> None:
        box = self.field(label)
        box.click()
        box.fill(option)
        self.page.get_by_role("option", name=option, exact=True).first.click()

    def press(self, name: str) -> None:
        self.page.get_by_role("button", name=name, exact=True).filter(visible=True).last.click()

    def add_item(self, kind: str) -> None:
        self.press("Add item")
        self.page.get_by_role("menuitem", name=kind, exact=True).click()

    def open(self, fragment: str) -> None:
        self.page.goto(self.url + "#/" + fragment)
        self.page.get_by_role("button", name="Save").wait_for()

    def save(self) -> None:
        """Save, and wait until the editor says it has: only then is the branch finished."""
        expect(self.page.get_by_text("Unsaved changes")).to_be_visible()
        self.press("Save")
        expect(self.page.get_by_text("Unsaved changes")).to_have_count(0, timeout=30_000)
        expect(self.page.get_by_text("Changes saved")).to_be_visible()

    def axe(self) -> list[Any]:
        self.page.evaluate(AXE.read_text(encoding="utf-8") + ";0")
        result = self.page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
        return [(v["id"], [n["target"] for n in v["nodes"]]) for v in result["violations"]]

    def other_hosts(self) -> set[str]:
        allowed = {self.url.split("/")[2], f"{PROXY[0]}:{PROXY[1]}"}
        return {u.split("/")[2] for u in self.requests if u.startswith("http")} - allowed


@pytest.fixture
def clerk(browser: Browser, editor_url: str) -> Iterator[Clerk]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield Clerk(context.new_page(), editor_url)
    context.close()


def _saved(repository: Path, path: str, timeout: float = 30) -> str:
    """The record as the editor's save left it: on its pull request's branch (the editorial workflow)."""
    branch = "cms/meetings/" + path.removeprefix("content/meetings/").removesuffix(".yml")
    deadline = time.monotonic() + timeout
    while True:
        shown = subprocess.run(["git", "show", f"{branch}:{path}"], cwd=repository, capture_output=True, text=True)
        if shown.returncode == 0:
            return shown.stdout
        if time.monotonic() > deadline:
            raise AssertionError(f"nothing was saved to {branch}: {shown.stderr}")
        time.sleep(0.3)


def _loaded(repository: Path, path: str, text: str, tmp_path: Path) -> Any:
    """The record as `minutes validate` reads it, among the repository's other records: (record, problems)."""
    copy = tmp_path / "checked"
    shutil.copytree(repository / "content", copy / "content")
    shutil.copytree(repository / "schema", copy / "schema")
    (copy / path).parent.mkdir(parents=True, exist_ok=True)
    (copy / path).write_text(text, encoding="utf-8")
    content = load_content(copy / "content", copy)
    record = next(m.meeting for m in content.meetings if m.source.endswith(path))
    return record, [str(p) for p in content.problems]


def test_a_clerk_writes_a_new_meeting_that_validates_and_holds_what_was_typed(
    clerk: Clerk, repository: Path, tmp_path: Path
) -> None:
    clerk.open("collections/meetings/new")
    clerk.choose("Committee", "Safer Bromley Partnership Board")
    clerk.field("Date").fill("2026-11-30")
    clerk.field("Start time").fill("18:30")
    clerk.field("Venue").fill("Committee Room 1 - Bromley Civic Centre")
    clerk.choose("Status", "draft")
    clerk.add_item("Item")
    clerk.field("Number").fill("1")
    clerk.field("Title").fill("Knife crime in the town centre")
    clerk.field("Minutes").fill("The Board heard a report on knife crime.\n\nMembers asked about patrols.")
    clerk.press("Add resolutions")
    clerk.field("Resolution").fill("RESOLVED that the report be noted.")
    clerk.press("Add actions")
    clerk.field("What").fill("Report back on weekend patrols")
    clerk.field("Name").fill("Jane Smith")
    clerk.field("Due").fill("2027-01-31")
    clerk.choose("Topics", "Knife crime")
    clerk.add_item("Item considered in private")
    clerk.field("Number").fill("2")
    clerk.field("Title").fill("Domestic Homicide Review")
    clerk.choose("Exempt under paragraph (Schedule 12A)", "1: information relating to any individual")
    clerk.field("What may be published").fill("The Board agreed the review's action plan.")
    clerk.choose("Topics", "Domestic Homicide Reviews")
    clerk.save()

    path = "content/meetings/2026/2026-11-30-board.yml"  # where `minutes new` would write it
    text = _saved(repository, path)
    assert text.startswith("# yaml-language-server: $schema=../../../schema/meeting.schema.json\n")
    record, problems = _loaded(repository, path, text, tmp_path)
    assert problems == []
    assert record.model_dump(mode="json", exclude_defaults=True) == {
        "committee": "board",
        "date": "2026-11-30",
        "start_time": "18:30",
        "venue": "Committee Room 1 - Bromley Civic Centre",
        "status": "draft",
        "items": [
            {
                "number": "1",
                "title": "Knife crime in the town centre",
                "text": "The Board heard a report on knife crime.\n\nMembers asked about patrols.",
                "resolutions": ["RESOLVED that the report be noted."],
                "actions": [
                    {"what": "Report back on weekend patrols", "who": {"name": "Jane Smith"}, "due": "2027-01-31"}
                ],
                "topics": ["knife-crime"],
            },
            {
                "number": "2",
                "title": "Domestic Homicide Review",
                "private_under": "1",
                "public_summary": "The Board agreed the review's action plan.",
                "topics": ["dhr"],
            },
        ],
    }
    assert clerk.violations == []
    assert clerk.other_hosts() == set()


def test_a_required_field_left_empty_is_refused_in_the_form(clerk: Clerk, repository: Path) -> None:
    clerk.open("collections/meetings/new")
    clerk.choose("Committee", "Safer Bromley Partnership Strategic Group")
    clerk.field("Date").fill("2026-12-01")
    clerk.choose("Status", "draft")
    clerk.add_item("Item")
    clerk.field("Number").fill("1")  # and no title
    clerk.press("Save")
    expect(clerk.page.get_by_text("missed a required field")).to_be_visible()
    expect(clerk.page.get_by_text("Title is required", exact=False).first).to_be_visible()
    assert "2026-12-01" not in _git(repository, "branch", "--all")


def test_an_optional_part_filled_in_without_what_it_needs_is_refused_with_a_message(
    clerk: Clerk, repository: Path
) -> None:
    clerk.open("collections/meetings/new")
    clerk.choose("Committee", "Safer Bromley Partnership Strategic Group")
    clerk.field("Date").fill("2026-12-02")
    clerk.choose("Status", "draft")
    clerk.add_item("Item")
    clerk.field("Number").fill("1")
    clerk.field("Title").fill("Apologies")
    next_meeting = clerk.page.locator("label", has_text=re.compile("^Next meeting"))
    next_meeting.locator("xpath=following::button[@aria-label='Expand'][1]").click()
    clerk.field("Venue").fill("Committee Room 2")  # the next meeting's venue, and no date for it
    clerk.press("Save")
    expect(clerk.page.get_by_text("Next meeting: Date is needed once this part is filled in.")).to_be_visible()
    assert "2026-12-02" not in _git(repository, "branch", "--all")


def test_people_are_offered_from_the_people_registry_and_any_other_name_may_be_typed(clerk: Clerk) -> None:
    registry = [p["name"] for p in YAML(typ="safe").load((ROOT / "content" / "people.yml").read_text())["people"]]
    clerk.open("collections/meetings/new")
    clerk.add_item("Item")
    clerk.press("Add actions")
    name = clerk.field("Name")
    name.fill(registry[0][:3])
    offered = clerk.page.locator(f"datalist#{name.get_attribute('list')} option")
    expect(offered).to_have_count(len(set(registry)))
    assert sorted(offered.evaluate_all("options => options.map(o => o.value)")) == sorted(set(registry))
    name.fill("Someone Not Yet Registered")
    expect(name).to_have_value("Someone Not Yet Registered")


def test_editing_one_field_of_a_real_record_changes_that_value_only(
    clerk: Clerk, repository: Path, tmp_path: Path
) -> None:
    before = (repository / RECORD).read_text(encoding="utf-8")
    clerk.open("collections/meetings/entries/2021/2021-06-17-board")
    clerk.field("Venue").fill("The Council Chamber, Bromley Civic Centre")
    clerk.save()
    after = _saved(repository, RECORD)
    old, _ = _loaded(repository, RECORD, before, tmp_path / "old")
    new, problems = _loaded(repository, RECORD, after, tmp_path / "new")
    assert problems == []
    assert new.venue == "The Council Chamber, Bromley Civic Centre"
    assert new.model_copy(update={"venue": old.venue}) == old
    # The first line, for editors' tools, and the record's header comments are kept.
    header = [line for line in before.splitlines() if line.startswith("#")][:5]
    assert after.splitlines()[:5] == header


def test_every_real_record_read_and_written_back_unchanged_is_the_same_record(
    clerk: Clerk, repository: Path, tmp_path: Path
) -> None:
    for path in sorted((repository / "content" / "meetings").rglob("*.yml")):
        relative = path.relative_to(repository).as_posix()
        text = path.read_text(encoding="utf-8")
        written = clerk.page.evaluate("text => minutesFormat.toFile(minutesFormat.fromFile(text))", text)
        old, _ = _loaded(repository, relative, text, tmp_path / path.stem / "old")
        new, problems = _loaded(repository, relative, written, tmp_path / path.stem / "new")
        assert new == old, relative
        assert [p for p in problems if relative in p] == []
        assert written.splitlines()[0] == text.splitlines()[0]


def test_the_editor_offers_no_media_library(clerk: Clerk) -> None:
    # No field of a record holds a file: a Media tab would only let a clerk commit files nothing shows.
    expect(clerk.page.get_by_role("link", name="Workflow")).to_be_visible()
    expect(clerk.page.get_by_role("button", name="Media")).to_have_count(0)


def test_axe_finds_nothing_on_the_editors_main_views(clerk: Clerk) -> None:
    found = {"meetings": clerk.axe()}
    clerk.open("collections/meetings/new")
    found["new meeting"] = clerk.axe()
    clerk.open("collections/meetings/entries/2021/2021-06-17-board")
    found["a real meeting"] = clerk.axe()
    assert found == {"meetings": [], "new meeting": [], "a real meeting": []}
    assert clerk.violations == []
    assert clerk.other_hosts() == set()


def test_the_editor_is_not_for_residents(real_site: Path) -> None:
    page = (real_site / "admin" / "index.html").read_text(encoding="utf-8")
    assert '<meta name="robots" content="noindex, nofollow">' in page
    assert 'http-equiv="Content-Security-Policy"' in page
    assert "admin" not in (real_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "admin/" not in (real_site / "index.html").read_text(encoding="utf-8")
    assert not any("admin" in line for line in (ROOT / "content" / "addresses.txt").read_text().splitlines())
    # Nothing in the search index leads to it: every result's link is a resident's page.
    links = [
        json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))["meta"]["link"]
        for fragment in (real_site / "pagefind").glob("*/fragment/*")
    ]
    assert links and not [link for link in links if link.startswith("admin")]


def test_the_form_fits_a_phone(browser: Browser, editor_url: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 800})
    clerk = Clerk(context.new_page(), editor_url)
    clerk.open("collections/meetings/new")
    widest = clerk.page.evaluate(
        "() => Math.max(...[...document.querySelectorAll('input, textarea, button')]"
        ".filter(e => e.offsetParent).map(e => e.getBoundingClientRect().right))"
    )
    context.close()
    assert widest <= 375
