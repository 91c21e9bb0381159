"""Items considered in private: only their legal basis and what was made public is ever published."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from generator.load import Content, MeetingFile, load_content
from generator.schema import Action, ActionUpdate, Committee, Document, Meeting, MeetingRef, Owner, Topic, action_ids
from tests.fixtures import build_in_process, page, run_build, write_content
from tests.hostile_html import full_meeting

PRIVATE_ITEM = """\
committee: board
date: 2021-06-17
status: approved
items:
  - number: "5"
    title: Contract award for the CCTV service
    private_under: {basis}
{extra}"""


def _problems(tmp_path: Path, basis: str = "3", extra: str = "") -> list[str]:
    write_content(tmp_path, {"m.yml": PRIVATE_ITEM.format(basis=basis, extra=extra)})
    return [str(p) for p in load_content(tmp_path / "content", tmp_path).errors]


def test_a_private_item_with_its_basis_summary_and_resolution_is_valid(tmp_path: Path) -> None:
    extra = "    public_summary: The Board considered the tenders.\n    resolutions:\n      - RESOLVED that it be awarded.\n"
    assert _problems(tmp_path, extra=extra) == []


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ("    text: The secret discussion.\n", "text"),
        ("    agenda_text: The secret report.\n", "agenda_text"),
        ("    actions:\n      - what: a secret task\n        who: {name: Someone}\n", "actions"),
        ("    documents:\n      - title: Secret report\n", "documents"),
        ("    truncated: true\n", "truncated"),
        ("    action_updates:\n      - action: 2020-01-01-board/1/1\n        status: done\n", "action_updates"),
    ],
)
def test_body_text_on_a_private_item_fails_validation_at_its_line(tmp_path: Path, extra: str, field: str) -> None:
    problems = _problems(tmp_path, extra=extra)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"content/meetings/m.yml:8:5: items[0].{field}: an item considered in private")
    assert "hint: " in problems[0]
    # The message never repeats the private words it refuses.
    assert "secret" not in problems[0].lower()


def test_every_field_that_may_not_be_published_is_named(tmp_path: Path) -> None:
    problems = _problems(tmp_path, extra="    agenda_text: A.\n    text: B.\n    truncated: true\n")
    assert problems == [
        "content/meetings/m.yml:8:5: items[0].agenda_text: an item considered in private may not hold"
        " agenda_text, text, truncated: the records are public (hint: remove those fields: these files are"
        " published as they are, so private text never goes in them; what may be published goes in public_summary)"
    ]


@pytest.mark.parametrize(
    ("basis", "message"),
    [
        ("8", "'8' is not an exempt-information paragraph of Schedule 12A"),
        ("0", "'0' is not an exempt-information paragraph of Schedule 12A"),
        ("3a", "'3a' is not an exempt-information paragraph of Schedule 12A"),
        ("paragraph 3", "'paragraph 3' is not an exempt-information paragraph of Schedule 12A"),
        ("", "an item considered in private needs the paragraph of Schedule 12A it was exempt under"),
        ("true", "must be text"),
    ],
)
def test_an_unknown_or_missing_basis_fails_closed(tmp_path: Path, basis: str, message: str) -> None:
    problems = _problems(tmp_path, basis=basis, extra="    public_summary: Tenders.\n")
    assert len(problems) == 1, problems
    assert re.match(r"content/meetings/m\.yml:7:\d+: items\[0\]\.private_under: ", problems[0]), problems
    assert message in problems[0]


def test_a_public_summary_needs_a_basis(tmp_path: Path) -> None:
    record = "committee: board\ndate: 2021-06-17\nstatus: approved\nitems:\n  - title: Tenders\n    public_summary: Tenders.\n"
    write_content(tmp_path, {"m.yml": record})
    problems = [str(p) for p in load_content(tmp_path / "content", tmp_path).errors]
    assert len(problems) == 1
    assert problems[0].startswith("content/meetings/m.yml:6:5: items[0].public_summary: public_summary is only for")


@pytest.mark.site
def test_the_build_refuses_private_text_and_never_prints_it(tmp_path: Path) -> None:
    write_content(tmp_path, {"m.yml": PRIVATE_ITEM.format(basis="1", extra="    text: CANARY-BUILD\n")})
    (tmp_path / "content" / "pages").mkdir()
    result, site = run_build(tmp_path / "content", tmp_path / "build")
    assert result.returncode != 0
    assert "content/meetings/m.yml:8:5: items[0].text: an item considered in private" in result.stderr
    assert "CANARY-BUILD" not in result.stderr + result.stdout
    assert not site.exists() or not any(site.rglob("*.html"))


# One canary per field of a private item that may not be published.
CANARIES = {
    "agenda_text": "canaryagendatext",
    "text": "canarybodytext",
    "action_what": "canaryactionwhat",
    "action_owner": "canaryactionowner",
    "action_role": "canaryactionrole",
    "document_title": "canarydocumenttitle",
    "document_url": "canarydocumenturl",
    "update_note": "canaryupdatenote",
}
PUBLIC = {"title": "publictitlemarker", "public_summary": "publicsummarymarker", "resolution": "publicresolutionmarker"}


def _leaky_content() -> Content:
    """Two meetings whose private items carry text in every field, past validation."""
    committee = Committee(id="board", name="Example Board")
    topic = Topic(id="vrap", title="VRAP", summary="The plan.", aliases=["VRAP"])
    earlier = Meeting.model_validate(full_meeting(0, "board", "vrap", None))
    later = Meeting.model_validate(full_meeting(1, "board", "vrap", earlier))
    meetings = []
    for meeting in (earlier, later):
        private = meeting.items[2]
        assert private.private
        leaky = private.model_copy(
            update={
                "title": PUBLIC["title"],
                "public_summary": PUBLIC["public_summary"],
                "resolutions": [PUBLIC["resolution"]],
                "topics": ["vrap"],
                "agenda_text": CANARIES["agenda_text"],
                "text": CANARIES["text"],
                "truncated": True,
                "actions": [
                    Action(
                        what=CANARIES["action_what"],
                        who=Owner(name=CANARIES["action_owner"], role=CANARIES["action_role"]),
                        due=meeting.date,
                    )
                ],
                "documents": [
                    Document(title=CANARIES["document_title"], url=f"https://example.org/{CANARIES['document_url']}")
                ],
                "action_updates": [
                    ActionUpdate(
                        action=next(iter(action_ids(earlier).values())), status="done", note=CANARIES["update_note"]
                    )
                ],
                "approves_minutes_of": MeetingRef(date=earlier.date),
                "matters_arising_from": MeetingRef(date=earlier.date),
            }
        )
        meetings.append(meeting.model_copy(update={"items": [*meeting.items[:2], leaky]}))
    return Content(
        committees=[committee],
        topics=[topic],
        meetings=[MeetingFile(m, f"content/meetings/{m.date}.yml") for m in meetings],
    )


@pytest.fixture(scope="module")
def leaky_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_in_process(_leaky_content(), tmp_path_factory.mktemp("private"))


def _published_bytes(site: Path) -> dict[str, bytes]:
    """Every file of the built site, decompressed where compressed (sitemap, search index)."""
    out = {}
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            out[path.relative_to(site).as_posix()] = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    return out


def test_no_private_field_reaches_any_published_file(leaky_site: Path) -> None:
    published = _published_bytes(leaky_site)
    kinds = {name.split("/")[0] for name in published}
    assert {"meetings", "feeds", "calendar", "data", "pagefind", "sitemap.xml", "sitemap.xml.gz"} <= kinds
    leaks = {(name, field) for name, data in published.items() for field, c in CANARIES.items() if c.encode() in data}
    assert leaks == set()


def test_what_was_made_public_is_published(leaky_site: Path) -> None:
    published = _published_bytes(leaky_site)
    for marker in PUBLIC.values():
        assert any(marker.encode() in data for data in published.values()), marker
    assert any(PUBLIC["public_summary"].encode() in d for n, d in published.items() if n.startswith("pagefind/"))
    assert PUBLIC["resolution"] in page(leaky_site, "decisions").get_text()


def test_a_private_item_says_under_which_paragraph(leaky_site: Path) -> None:
    meeting = page(leaky_site, "meetings/2019-01-01-board")
    item = meeting.find(id="item-3")
    assert item is not None
    section = item.find_next("div", class_="admonition")
    assert section is not None
    text = " ".join(section.get_text().split())
    assert text.startswith(
        "Considered in private Considered in private under paragraph 3 of Part 1 of Schedule 12A to the Local"
        " Government Act 1972 (information relating to the financial or business affairs of any particular person"
    )
    assert PUBLIC["public_summary"] in meeting.get_text()
