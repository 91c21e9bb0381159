"""People across the archive: who held a role when, attribution by date, pages, open data."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import jsonschema

from generator.load import load_content
from generator.outputs import open_data
from generator.people import People
from generator.render import render_site
from tests.fixtures import archive_of, write_content

ROLE = "Head of Community Safety"

# The role is held by Ann Example through 2020, then by Bo Example from 2021; nobody is
# known to hold it before 2020. Each meeting gives the role an action by the role alone.
PEOPLE = f"""\
people:
  - name: Ann Example
    roles:
      - role: {ROLE}
        from: 2020-01-01
        to: 2020-12-31
  - name: Bo Example
    roles:
      - role: the {ROLE.lower()}
        from: 2021-01-01
"""


def meeting(day: str, committee: str = "board", extra: str = "", attendance: str = "present: [Cy Example]") -> str:
    return f"""\
committee: {committee}
date: {day}
status: approved
attendance: {{{attendance}}}
items:
  - number: "1"
    title: Community safety
    actions:
      - what: report on the plan
        who:
          role: {ROLE}
{extra}"""


def archive_with(tmp_path: Path, meetings: dict[str, str], people: str = PEOPLE):  # type: ignore[no-untyped-def]
    content = write_content(tmp_path, meetings)
    (content / "people.yml").write_text(people, encoding="utf-8")
    return archive_of(content)


def test_an_action_for_a_role_is_whoever_held_it_that_day(tmp_path: Path) -> None:
    archive = archive_with(
        tmp_path,
        {
            "2019-06-01-board.yml": meeting("2019-06-01"),  # before any period: nobody known
            "2020-01-01-board.yml": meeting("2020-01-01"),  # the first day of Ann's
            "2020-12-31-board.yml": meeting("2020-12-31"),  # the last day of Ann's
            "2021-03-04-board.yml": meeting("2021-03-04"),  # inside Bo's, which has no end
        },
    )
    people = People.of(archive)
    owners = {t.raised.entry.slug: people.owner_of(t) for t in archive.actions()}
    assert {slug: p.name if p else None for slug, p in owners.items()} == {
        "2019-06-01-board": None,
        "2020-01-01-board": "Ann Example",
        "2020-12-31-board": "Ann Example",
        "2021-03-04-board": "Bo Example",
    }
    labels = [people.owner_label(t) for t in archive.actions()]
    assert labels == [
        ROLE,
        f"the {ROLE} (Ann Example)",
        f"the {ROLE} (Ann Example)",
        f"the {ROLE} (Bo Example)",
    ]
    # Compared without regard to case, spacing or a leading "the": one role, one page.
    [role] = people.roles
    assert (role.id, len(role.actions), [p.name for _, p in role.holders]) == (
        "head-of-community-safety",
        4,
        ["Ann Example", "Bo Example"],
    )


def test_the_meeting_page_names_the_holder_and_links_both(tmp_path: Path) -> None:
    archive = archive_with(
        tmp_path,
        {"2019-06-01-board.yml": meeting("2019-06-01"), "2020-06-01-board.yml": meeting("2020-06-01")},
    )
    pages = render_site(archive, "Test")
    # On one line with the rest of the action's facts: a break there would end the list item.
    assert (
        f"Owner: the {ROLE} ([Ann Example](../people/ann-example.md)) · Status: **Open**."
        in pages["meetings/2020-06-01-board.md"]
    )
    # With no holder known, it stays the role, linked to the role's page.
    assert (
        f"Owner: [{ROLE}](../people/roles/head-of-community-safety.md) · Status: **Open**."
        in pages["meetings/2019-06-01-board.md"]
    )
    ann = pages["people/ann-example.md"]
    assert (
        "[Action 1 of minute 1, Safer Bromley Partnership Board, Monday 1 June 2020](../meetings/2020-06-01-board.md#action-1-1)"
        in ann
    )
    assert "[Action 1 of minute 1, Safer Bromley Partnership Board, Saturday 1 June 2019]" not in ann
    role = pages["people/roles/head-of-community-safety.md"]
    assert (
        "| [Ann Example](../ann-example.md) | \u2013 | Wednesday 1 January 2020 | Thursday 31 December 2020 |" in role
    )
    assert "| [Bo Example](../bo-example.md) | \u2013 | Friday 1 January 2021 | still held |" in role
    assert role.count("- [Action 1 of minute 1") == 2


def test_a_chair_named_by_role_alone_is_the_holder(tmp_path: Path) -> None:
    archive = archive_with(
        tmp_path,
        {"2020-06-01-board.yml": meeting("2020-06-01", extra=f"chairs:\n  - role: {ROLE}\n")},
    )
    pages = render_site(archive, "Test")
    assert (
        f"Chaired by\n:   the {ROLE} ([Ann Example](../people/ann-example.md))\n"
        in pages["meetings/2020-06-01-board.md"]
    )
    assert (
        "- 2020: [Safer Bromley Partnership Board, 1 Jun 2020](../meetings/2020-06-01-board.md)"
        in pages["people/ann-example.md"]
    )


def test_overlapping_periods_of_one_role_are_refused(tmp_path: Path) -> None:
    content = write_content(tmp_path, {"2020-06-01-board.yml": meeting("2020-06-01")})
    (content / "people.yml").write_text(
        PEOPLE.replace("from: 2021-01-01", "from: 2020-11-01"),
        encoding="utf-8",
    )
    assert [str(p) for p in load_content(content, tmp_path).problems] == [
        f"content/people.yml:10:15: people[1].roles[0].from: the role 'the {ROLE.lower()}' is held from"
        " 2020-11-01 (still held), but by Ann Example from 2020-01-01 to 2020-12-31: the periods overlap"
        " (hint: a role has one holder at a time: end the earlier period (to:) before the later one starts,"
        " or tell the roles apart by their names (e.g. 'Interim ...'))"
    ]


def test_a_period_that_ends_before_it_starts_is_refused(tmp_path: Path) -> None:
    content = write_content(tmp_path, {"2020-06-01-board.yml": meeting("2020-06-01")})
    (content / "people.yml").write_text(PEOPLE.replace("to: 2020-12-31", "to: 2019-12-31"), encoding="utf-8")
    assert [str(p) for p in load_content(content, tmp_path).problems] == [
        "content/people.yml:6:9: people[0].roles[0].to: the role is held until 2019-12-31, before it starts"
        " (hint: check both dates: `from` is the first day of the period and `to` the last)"
    ]


def test_a_person_in_two_committees_has_one_page_with_both(tmp_path: Path) -> None:
    archive = archive_with(
        tmp_path,
        {
            "2020-06-01-board.yml": meeting("2020-06-01"),
            "2021-06-01-board.yml": meeting("2021-06-01", attendance="present: [Di Example], apologies: [Cy Example]"),
            "2021-07-01-strategic-group.yml": meeting("2021-07-01", "strategic-group"),
        },
    )
    [cy] = [p for p in People.of(archive).everyone if p.name == "Cy Example"]
    assert [c.committee.id for c in cy.attendance] == ["board", "strategic-group"]
    board = cy.attendance[0]
    assert [(y.year, y.present, y.apologies, y.counted) for y in board.years] == [(2021, 0, 1, 1), (2020, 1, 0, 1)]
    assert (board.total.present, board.total.apologies, board.total.rate) == (1, 1, 0.5)
    page = render_site(archive, "Test")["people/cy-example.md"]
    assert "[Safer Bromley Partnership Strategic Group](../committees/strategic-group/attendance.md)" in page
    assert (
        "| [Safer Bromley Partnership Board](../committees/board/attendance.md) | 2020\u20132021 | 1 | 1 | 0 | 0"
        " | 50% of 2 |" in page
    )
    assert "- Safer Bromley Partnership Board: 2021: 0 of 1, 1 apology; 2020: 1 of 1\n" in page
    index = render_site(archive, "Test")["people/index.md"]
    assert (
        "| [Cy Example](cy-example.md) | \u2013 | Safer Bromley Partnership Board; Safer Bromley Partnership Strategic Group"
        " | [1 Jul 2021]"
        "(../meetings/2021-07-01-strategic-group.md) |" in index
    )


def test_people_and_attributed_owners_are_open_data(tmp_path: Path) -> None:
    archive = archive_with(
        tmp_path,
        {"2019-06-01-board.yml": meeting("2019-06-01"), "2020-06-01-board.yml": meeting("2020-06-01")},
    )
    data = open_data(archive, "https://example.org/")
    people = json.loads(data["data/people.json"])
    jsonschema.validate(people, json.loads(data["data/people.schema.json"]), format_checker=jsonschema.FormatChecker())
    ann = next(p for p in people["people"] if p["id"] == "ann-example")
    assert ann["roles_held"] == [{"role": ROLE, "organisation": None, "from": "2020-01-01", "to": "2020-12-31"}]
    assert ann["actions"] == ["2020-06-01-board/1/1"]
    assert people["roles"][0]["holders"][1] == {
        "person": "bo-example",
        "role": f"the {ROLE.lower()}",
        "organisation": None,
        "from": "2021-01-01",
        "to": None,
    }
    rows = list(csv.DictReader(io.StringIO(data["data/actions.csv"].decode("utf-8"))))
    assert [(r["owner_role"], r["owner_attributed"], r["owner_url"]) for r in rows] == [
        (ROLE, "", ""),
        (ROLE, "Ann Example", "https://example.org/people/ann-example/"),
    ]


def test_after_a_period_with_no_successor_the_action_stays_the_roles(tmp_path: Path) -> None:
    one_holder = PEOPLE.split("  - name: Bo Example")[0]
    archive = archive_with(tmp_path, {"2021-03-04-board.yml": meeting("2021-03-04")}, people=one_holder)
    [tracked] = archive.actions()
    assert People.of(archive).owner_of(tracked) is None
    assert People.of(archive).owner_label(tracked) == ROLE


def test_every_spelling_and_every_mention_is_one_person(tmp_path: Path) -> None:
    record = meeting(
        "2021-03-04",
        attendance="present: [Di Exemple], substitutes: [{name: Ed Example, substituting_for: Fay Example}]",
        extra="chairs: [Di Exemple]\ndeclarations:\n  - name: Di Exemple\n    interest: A relative works for the provider.\n",
    ).replace("role: " + ROLE, "name: Di Exemple")
    archive = archive_with(
        tmp_path, {"2021-03-04-board.yml": record}, people="people:\n  - name: Di Example\n    variants: [Di Exemple]\n"
    )
    people = People.of(archive)
    di = people.named("Di Exemple")
    assert di is not None and di.name == "Di Example" and people.named("Di Example") is di
    assert [t.id for t in di.actions] == ["2021-03-04-board/1/1"]
    assert [e.slug for e in di.chaired] == ["2021-03-04-board"]
    assert [d.interest for _, d in di.declarations] == ["A relative works for the provider."]
    assert "Di Exemple" not in [p.name for p in people.everyone]
    # Named only as the member a substitute stood in for: still a person, with that mark counted.
    fay = people.named("Fay Example")
    assert fay is not None and fay.attendance[0].total.substituted == 1


def test_a_persons_actions_come_overdue_first_then_newest(tmp_path: Path) -> None:
    due = "        due: 2020-07-01\n"
    older = meeting("2020-06-01").replace("          role: " + ROLE + "\n", "          name: Cy Example\n" + due)
    newer = meeting("2020-09-01").replace("          role: " + ROLE + "\n", "          name: Cy Example\n")
    latest = meeting("2020-12-01").replace("          role: " + ROLE + "\n", "          name: Cy Example\n")
    archive = archive_with(
        tmp_path, {"a.yml": older, "b.yml": newer, "c.yml": latest}, people="people:\n  - name: Cy Example\n"
    )
    cy = People.of(archive).named("Cy Example")
    assert cy is not None
    assert [(t.raised.entry.slug, archive.status_of(t)) for t in cy.actions] == [
        ("2020-06-01-board", "overdue"),
        ("2020-12-01-board", "open"),
        ("2020-09-01-board", "open"),
    ]


def test_a_persons_page_address_is_theirs_alone(tmp_path: Path) -> None:
    content = write_content(tmp_path, {"2020-06-01-board.yml": meeting("2020-06-01")})
    (content / "people.yml").write_text(
        "people:\n  - name: Al Smith\n    id: index\n  - name: Bo Smith\n    id: smith\n"
        "  - name: Cy Smith\n    id: smith\n  - name: Di Smith\n    id: ed-smith\n  - name: Ed Smith\n",
        encoding="utf-8",
    )
    assert [str(p) for p in load_content(content, tmp_path).problems] == [
        "content/people.yml:3:9: people[0].id: 'index' is the address of another page (people/index/)"
        " (hint: choose another id)",
        "content/people.yml:7:9: people[2].id: the id 'smith' is already Bo Smith's"
        " (hint: give each person an id of their own)",
        "content/people.yml:9:9: people[3].id: the id 'ed-smith' is the address Ed Smith's page takes from"
        " their name (hint: choose another id, or give Ed Smith an id too)",
    ]
