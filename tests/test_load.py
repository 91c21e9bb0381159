"""The loader and schema: what an editor's YAML becomes, and what they are told when it is wrong."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import pytest

from generator.load import load_content
from tests.fixtures import COMMITTEES, TOPICS, VALID, write_content


def problems_of(
    tmp_path: Path, meetings: dict[str, str | bytes], committees: str = COMMITTEES, topics: str = TOPICS
) -> list[str]:
    content = load_content(write_content(tmp_path, meetings, committees, topics), tmp_path)
    return [str(p) for p in content.problems]


M = "content/meetings/m.yml"

# Each broken record, and exactly what the editor is told about it.
BROKEN: list[tuple[str, str | bytes, list[str]]] = [
    (
        "unclosed quote",
        'committee: board\ndate: 2021-06-17\nstatus: approved\nitems:\n  - title: "Apologies\n',
        [
            f"{M}:6:1: (syntax): not valid YAML: while scanning a quoted scalar found unexpected end of stream"
            " (hint: check the indentation and that quotes and brackets are closed)"
        ],
    ),
    (
        "colon inside an unquoted value",
        VALID + "venue: Room 1: Civic Centre\n",
        [
            f"{M}:6:14: (syntax): not valid YAML: mapping values are not allowed in this context"
            " (hint: a value containing ': ' must be put in quotes)"
        ],
    ),
    (
        "tab indentation",
        "committee: board\ndate: 2021-06-17\nstatus: approved\nitems:\n\t- title: Apologies\n",
        [
            f"{M}:5:1: (syntax): not valid YAML: while scanning for the next token found character"
            " that cannot start any token (hint: indent with spaces, never tabs)"
        ],
    ),
    (
        "duplicate top-level field",
        VALID + "date: 2021-06-18\n",
        [
            f"{M}:6:1: date: duplicate field 'date' (first given on line 2)"
            " (hint: keep one of the two; the second would silently replace the first)"
        ],
    ),
    (
        "duplicate field in an item",
        VALID + "    title: Apologies again\n",
        [
            f"{M}:6:5: items[0].title: duplicate field 'title' (first given on line 5)"
            " (hint: keep one of the two; the second would silently replace the first)"
        ],
    ),
    (
        "misspelt field name",
        VALID.replace("committee:", "commitee:"),
        [
            f"{M}:1:1: commitee: unknown field 'commitee' (hint: did you mean 'committee'?)",
            f"{M}:1:1: committee: is required but missing (hint: add `committee:` with its value)",
        ],
    ),
    (
        "unknown field in an item",
        VALID + "    resolution: RESOLVED that the apologies be noted.\n",
        [
            f"{M}:6:5: items[0].resolution: unknown field 'resolution' (hint: did you mean 'resolutions'?)",
        ],
    ),
    (
        "unknown committee",
        VALID.replace("committee: board", "committee: bord"),
        [
            f"{M}:1:12: committee: unknown committee 'bord' (not in content/committees.yml)"
            " (hint: did you mean 'board'?)"
        ],
    ),
    (
        "impossible date",
        VALID.replace("2021-06-17", "2021-02-29"),
        [f"{M}:2:7: date: 2021-02-29 is not a day in the calendar (hint: check the day and the month)"],
    ),
    (
        "date written the British way",
        VALID.replace("2021-06-17", "17/06/2021"),
        [
            f"{M}:2:7: date: must be a date written YYYY-MM-DD, e.g. 2021-06-17"
            ' (hint: write it in quotes if in doubt, e.g. "10:00")'
        ],
    ),
    (
        "time written with a dot",
        VALID + "start_time: 10.00\n",
        [
            f"{M}:6:13: start_time: must be a 24-hour time written HH:MM, e.g. 10:00 or 18:30"
            ' (hint: write it in quotes if in doubt, e.g. "10:00")'
        ],
    ),
    (
        "impossible time",
        VALID + 'start_time: "25:00"\n',
        [
            f"{M}:6:13: start_time: must be a 24-hour time written HH:MM, e.g. 10:00 or 18:30"
            ' (hint: write it in quotes if in doubt, e.g. "10:00")'
        ],
    ),
    (
        "status outside the allowed values",
        VALID.replace("status: approved", "status: Approved"),
        [f"{M}:3:9: status: 'Approved' is not allowed (hint: use one of: draft or approved)"],
    ),
    (
        "flag written as yes",
        VALID + "    truncated: yes\n",
        [f"{M}:6:16: items[0].truncated: must be true or false, not 'yes' (hint: write true or false without quotes)"],
    ),
    (
        "items not a list",
        "committee: board\ndate: 2021-06-17\nstatus: approved\nitems: Apologies for absence\n",
        [f"{M}:4:8: items: must be a list (hint: put each entry on its own line starting with '- ')"],
    ),
    (
        "no items",
        "committee: board\ndate: 2021-06-17\nstatus: approved\nitems: []\n",
        [f"{M}:4:8: items: must have at least one entry (hint: add an entry, each on its own line starting with '- ')"],
    ),
    (
        "item without a title",
        VALID + "  - number: '21'\n    text: The Board noted the report.\n",
        [f"{M}:6:5: items[1].title: is required but missing (hint: add `title:` with its value)"],
    ),
    (
        "missing status",
        VALID.replace("status: approved\n", ""),
        [f"{M}:1:1: status: is required but missing (hint: add `status:` with its value)"],
    ),
    (
        "resolutions written as one string",
        VALID + "    resolutions: RESOLVED that the apologies be noted.\n",
        [f"{M}:6:18: items[0].resolutions: must be a list (hint: put each entry on its own line starting with '- ')"],
    ),
    (
        "action with an empty owner",
        VALID + "    actions:\n      - what: circulate the plan\n        who: {}\n",
        [f"{M}:8:14: items[0].actions[0].who: give the owner's name, role, or both"],
    ),
    (
        "action without an owner",
        VALID + "    actions:\n      - what: circulate the plan\n",
        [f"{M}:7:9: items[0].actions[0].who: is required but missing (hint: add `who:` with its value)"],
    ),
    (
        "minute number used twice",
        VALID.replace("  - title:", "  - number: '20'\n    title:") + "  - number: '20'\n    title: Matters arising\n",
        [
            f'{M}:7:13: items[1].number: minute number "20" is already used by items[0]'
            " (hint: each minute number is printed once; check the number)"
        ],
    ),
    (
        "minute number with a space",
        VALID.replace("  - title:", "  - number: 20 a\n    title:"),
        [
            f'{M}:5:13: items[0].number: must be the minute number as printed, e.g. "20", "156a" or "39/20"',
        ],
    ),
    (
        "next meeting before this one",
        VALID + "next_meeting:\n  date: 2020-09-09\n",
        [
            f"{M}:7:9: next_meeting.date: the next meeting (2020-09-09) is not after this one (2021-06-17)"
            " (hint: check the year of the next meeting's date)"
        ],
    ),
    (
        "empty title",
        VALID.replace("title: Apologies for absence", "title:"),
        [f"{M}:5:5: items[0].title: is empty (hint: give it a value, or remove the line if the field is optional)"],
    ),
    (
        "title that YAML reads as a flag",
        VALID.replace("title: Apologies for absence", "title: true"),
        [f"{M}:5:12: items[0].title: must be text (hint: put the value in quotes)"],
    ),
    (
        "anchor and alias",
        VALID.replace("  - title: Apologies for absence", "  - &a\n    title: Apologies\n  - *a"),
        [
            f"{M}:7:5: items[1]: anchors and aliases (& and *) are not allowed in records"
            " (hint: write the value out in full where it is needed)",
        ],
    ),
    (
        "nested too deeply",
        VALID + "venue: " + "[" * 50 + "]" * 50 + "\n",
        [
            f"{M}:6:47: (syntax): the data is nested more than 40 levels deep"
            " (hint: a record is a few levels deep at most)"
        ],
    ),
    (
        "python tag",
        VALID + "venue: !!python/object:os.system echo\n",
        [
            f"{M}:6:8: venue: the YAML tag 'tag:yaml.org,2002:python/object:os.system' is not allowed in records"
            " (hint: remove the tag (the word after ! or !!) and write plain values)",
        ],
    ),
    (
        "not UTF-8",
        VALID.encode("utf-8") + "venue: Caf\u00e9\n".encode("latin-1"),
        [f"{M}:6:11: (file): is not UTF-8 text (hint: save the file with UTF-8 encoding)"],
    ),
    (
        "empty file",
        "",
        [f"{M}:1:1: (file): is empty (hint: start from an existing record or `minutes new`)"],
    ),
    (
        "a list instead of a record",
        "- committee: board\n",
        [
            f"{M}:1:1: (file): must be a group of fields (committee, date, items, ...)"
            " (hint: start from an existing record or `minutes new`)"
        ],
    ),
    (
        "unknown topic",
        VALID + "    topics: [vrap, prevnt]\n",
        [
            f"{M}:6:20: items[0].topics[1]: unknown topic 'prevnt' (not in content/topics.yml)"
            " (hint: did you mean 'prevent'?)"
        ],
    ),
    (
        "approval naming an unknown committee",
        VALID + "    approves_minutes_of:\n      date: 2021-03-25\n      committee: bored\n",
        [
            f"{M}:8:18: items[0].approves_minutes_of.committee: unknown committee 'bored'"
            " (not in content/committees.yml) (hint: did you mean 'board'?)"
        ],
    ),
    (
        "matters arising from a later meeting",
        VALID + "    matters_arising_from:\n      date: 2021-09-09\n",
        [
            f"{M}:7:13: items[0].matters_arising_from.date: 2021-09-09 is not before this meeting (2021-06-17)"
            " (hint: it names an earlier meeting: check the date)"
        ],
    ),
    (
        "committee id in capitals",
        VALID.replace("committee: board", "committee: Board"),
        [
            f"{M}:1:12: committee: must be lower-case letters, digits and single hyphens, e.g. strategic-group",
            f"{M}:1:12: committee: unknown committee 'Board' (not in content/committees.yml)"
            " (hint: did you mean 'board'?)",
        ],
    ),
]


@pytest.mark.parametrize(("case", "text", "expected"), BROKEN, ids=[case for case, _, _ in BROKEN])
def test_broken_record_is_reported_exactly(tmp_path: Path, case: str, text: str | bytes, expected: list[str]) -> None:
    assert problems_of(tmp_path, {"m.yml": text}) == expected


def test_a_valid_record_has_no_problems(tmp_path: Path) -> None:
    content = load_content(write_content(tmp_path, {"m.yml": VALID}), tmp_path)
    assert content.problems == []
    assert [m.source for m in content.meetings] == [M]


def test_every_problem_in_every_file_is_reported_in_one_run(tmp_path: Path) -> None:
    problems = problems_of(
        tmp_path,
        {
            "2021/a.yml": VALID.replace("2021-06-17", "2021-02-30").replace("approved", "done"),
            "2017/b.yml": VALID.replace("board", "strategic-grup"),
        },
    )
    assert [p.split(": ")[0] for p in problems] == [
        "content/meetings/2017/b.yml:1:12",
        "content/meetings/2021/a.yml:2:7",
        "content/meetings/2021/a.yml:3:9",
    ]


def test_two_files_for_one_meeting(tmp_path: Path) -> None:
    problems = problems_of(tmp_path, {"a.yml": VALID, "b.yml": VALID})
    assert problems == [
        "content/meetings/b.yml:2:7: date: content/meetings/a.yml already records a meeting of 'board'"
        " on 2021-06-17 (hint: one file per meeting: merge the two files or correct the date)"
    ]


def test_registry_problems_are_placed_too(tmp_path: Path) -> None:
    committees = COMMITTEES + "  - id: board\n    name: Another board\n"
    problems = problems_of(tmp_path, {"m.yml": VALID}, committees)
    assert problems == [
        "content/committees.yml:6:9: committees[2].id: 'board' is listed twice (hint: keep one entry for each)"
    ]


def test_yaml_1_2_values_stay_as_written(tmp_path: Path) -> None:
    text = VALID + "    agenda_text: 1.10\n    text: 12:30\nvenue: NO\n"
    content = load_content(write_content(tmp_path, {"m.yml": text}), tmp_path)
    assert content.problems == []
    meeting = content.meetings[0].meeting
    assert meeting.venue == "NO"
    assert meeting.items[0].agenda_text == "1.10"
    assert meeting.items[0].text == "12:30"


def test_minute_numbers_are_text_however_written(tmp_path: Path) -> None:
    text = VALID.replace("  - title:", "  - number: 20\n    title:") + "  - number: 39/20\n    title: B\n"
    content = load_content(write_content(tmp_path, {"m.yml": text}), tmp_path)
    assert [i.number for i in content.meetings[0].meeting.items] == ["20", "39/20"]


def test_people_may_be_written_as_a_name_or_in_full(tmp_path: Path) -> None:
    text = VALID + (
        "attendance:\n  apologies:\n    - Bill Kelly\n"
        "    - name: Anne Ball\n      organisation: MOPAC\n"
        "  substitutes:\n    - name: Di Stand\n      substituting_for: Bill Kelly\n"
    )
    content = load_content(write_content(tmp_path, {"m.yml": text}), tmp_path)
    attendance = content.meetings[0].meeting.attendance
    assert [(p.name, p.organisation) for p in attendance.apologies] == [
        ("Bill Kelly", None),
        ("Anne Ball", "MOPAC"),
    ]
    assert attendance.substitutes[0].substituting_for == "Bill Kelly"


def test_dates_and_times_are_parsed(tmp_path: Path) -> None:
    text = VALID + 'start_time: "18:30"\nnext_meeting:\n  date: 2021-09-09\n  time: 10:00\n'
    meeting = load_content(write_content(tmp_path, {"m.yml": text}), tmp_path).meetings[0].meeting
    assert meeting.date == dt.date(2021, 6, 17)
    assert meeting.start_time == dt.time(18, 30)
    assert meeting.next_meeting is not None
    assert meeting.next_meeting.time == dt.time(10, 0)


def test_the_real_content_is_valid() -> None:
    root = Path(__file__).resolve().parent.parent
    content = load_content(root / "content", root)
    assert [str(p) for p in content.problems] == []
    assert len(content.meetings) == 2


def test_an_untagged_mention_of_a_topic_is_a_warning_with_its_line(tmp_path: Path) -> None:
    text = VALID + (
        "    topics: [prevent]\n"
        "    text: |\n"
        "      The Board heard an update.\n"
        "\n"
        "      The VRAP was discussed, and Prevent too.\n"
    )
    content = load_content(write_content(tmp_path, {"m.yml": text}), tmp_path)
    assert [str(p) for p in content.problems] == [
        f"{M}:10:11: items[0].text: warning: mentions 'VRAP' but the item is not tagged with the topic 'vrap'"
        " (hint: add vrap to this item's topics if it is about Violence Reduction Action Plan)"
    ]
    # A warning does not stop the meeting being published.
    assert content.errors == []
    assert len(content.meetings) == 1


def test_a_mention_in_a_title_or_one_line_text(tmp_path: Path) -> None:
    text = VALID.replace("Apologies for absence", "Prevent update") + "    text: not the verb prevent\n"
    assert problems_of(tmp_path, {"m.yml": text}) == [
        f"{M}:5:12: items[0].title: warning: mentions 'Prevent' but the item is not tagged with the topic"
        " 'prevent' (hint: add prevent to this item's topics if it is about Prevent)"
    ]


def test_without_a_topics_registry_topics_are_unknown(tmp_path: Path) -> None:
    content = write_content(tmp_path, {"m.yml": VALID + "    topics: [vrap]\n"})
    (content / "topics.yml").unlink()
    problems = [str(p) for p in load_content(content, tmp_path).problems]
    assert problems == [
        f"{M}:6:14: items[0].topics[0]: unknown topic 'vrap' (not in content/topics.yml) (hint: known topics: none)"
    ]


def test_glossary_and_topic_registries_are_checked(tmp_path: Path) -> None:
    content = write_content(tmp_path, {"m.yml": VALID})
    (content / "glossary.yml").write_text("terms:\n  - term: ASB\n    expansion: a\n  - term: ASB\n    expanson: b\n")
    problems = [str(p) for p in load_content(content, tmp_path).problems]
    assert problems == [
        "content/glossary.yml:4:5: terms[1].expansion: is required but missing (hint: add `expansion:` with its value)",
        "content/glossary.yml:5:5: terms[1].expanson: unknown field 'expanson' (hint: did you mean 'expansion'?)",
    ]


ACTION = VALID + "    actions:\n      - what: circulate the plan\n        who:\n          role: Clerk\n"


def test_an_update_on_an_unknown_action_is_an_error_with_a_guess(tmp_path: Path) -> None:
    later = VALID.replace("2021-06-17", "2021-09-09") + (
        "    action_updates:\n      - action: 2021-06-17-board/apologies-for-absense/1\n        status: done\n"
    )
    problems = problems_of(tmp_path, {"a.yml": ACTION, "b.yml": later})
    assert problems == [
        "content/meetings/b.yml:7:17: items[0].action_updates[0].action: unknown action"
        " '2021-06-17-board/apologies-for-absense/1' (not in any meeting's actions)"
        " (hint: did you mean '2021-06-17-board/apologies-for-absence/1'?)"
    ]


def test_an_update_must_come_at_a_later_meeting(tmp_path: Path) -> None:
    same = (
        ACTION + "    action_updates:\n      - action: 2021-06-17-board/apologies-for-absence/1\n        status: done\n"
    )
    assert problems_of(tmp_path, {"m.yml": same}) == [
        f"{M}:11:17: items[0].action_updates[0].action: the action 2021-06-17-board/apologies-for-absence/1"
        " was agreed on 2021-06-17, not before this meeting"
        " (hint: an update is recorded at a later meeting than the action it reports on)"
    ]


def test_an_update_status_must_be_known(tmp_path: Path) -> None:
    later = VALID.replace("2021-06-17", "2021-09-09") + (
        "    action_updates:\n      - action: 2021-06-17-board/apologies-for-absence/1\n        status: finished\n"
    )
    problems = problems_of(tmp_path, {"a.yml": ACTION, "b.yml": later})
    assert problems == [
        "content/meetings/b.yml:8:17: items[0].action_updates[0].status: 'finished' is not allowed"
        " (hint: use one of: done, in-progress, dropped or carried-forward)"
    ]


def test_people_registry_spellings_belong_to_one_person(tmp_path: Path) -> None:
    content = write_content(tmp_path, {"m.yml": VALID})
    (content / "people.yml").write_text(
        "people:\n  - name: Betty McDonald\n    variants: [Betty Macdonald]\n  - name: Betty Macdonald\n",
        encoding="utf-8",
    )
    assert [str(p) for p in load_content(content, tmp_path).problems] == [
        "content/people.yml:4:11: people[1].name: 'Betty Macdonald' is listed twice (hint: keep one entry for each)"
    ]


@pytest.mark.parametrize(
    ("membership", "problem"),
    [
        (
            "      - committee: bord\n        from: 2021-01-01\n",
            "content/people.yml:4:20: people[0].memberships[0].committee: unknown committee 'bord' (not in"
            " content/committees.yml) (hint: did you mean 'board'?)",
        ),
        (
            "      - committee: board\n        from: 2021-06-01\n        to: 2021-01-31\n",
            "content/people.yml:6:9: people[0].memberships[0].to: the membership ends (2021-01-31) before it starts"
            " (hint: check both dates: `from` is the first day of the period and `to` the last)",
        ),
    ],
)
def test_a_membership_names_a_known_committee_and_ends_after_it_starts(
    tmp_path: Path, membership: str, problem: str
) -> None:
    write_content(tmp_path, {"m.yml": VALID})
    (tmp_path / "content" / "people.yml").write_text(
        "people:\n  - name: Ann Example\n    memberships:\n" + membership, encoding="utf-8"
    )
    content = load_content(tmp_path / "content", tmp_path)
    assert [str(p) for p in content.problems] == [problem]


def test_minutes_cannot_be_retrieved_before_their_meeting(tmp_path: Path) -> None:
    record = (
        VALID + "source:\n  url: https://democracy.example.gov.uk/ieListDocuments.aspx?MId=1\n  retrieved: 2021-06-16\n"
    )
    content = write_content(tmp_path, {"m.yml": record})
    assert [str(p) for p in load_content(content, tmp_path).problems] == [
        "content/meetings/m.yml:8:14: source.retrieved: the minutes were retrieved (2021-06-16) before the meeting"
        " (2021-06-17) (hint: retrieved is the day the minutes were read from the council's site, on or after"
        " the meeting)"
    ]


def test_a_large_archive_read_in_two_processes_gives_every_meeting_and_problem_as_one_process_does(
    tmp_path: Path,
) -> None:
    """Enough records that half are read in a forked process (generator.load._read_meetings), with
    a broken one in each half: the meetings, their order and every problem are those of one process."""
    from generator.synthetic import synthesize

    content = tmp_path / "content"
    synthesize(content, 240, seed=3)
    files = sorted((content / "meetings").rglob("*.yml"))
    first, last = files[5], files[-5]
    first.write_text(first.read_text().replace("status: approved", "status: aproved"))
    last.write_text(last.read_text().replace("date: ", "date: 31/02/", 1))
    script = f"""
import json, os, sys
from pathlib import Path
from typing import Any, cast
from generator import apart, load
read_here = []
read_one = load._read_meeting
def noting_the_reader(*args):
    read_here.append(os.getpid())
    return read_one(*args)
load._read_meeting = noting_the_reader
if sys.argv[1] == "one":
    apart.can_fork = lambda: False
found = load.load_content(Path({str(content)!r}), Path({str(tmp_path)!r}))
print(json.dumps({{
    "meetings": [[m.source, m.meeting.date.isoformat(), len(m.meeting.items)] for m in found.meetings],
    "problems": [str(p) for p in found.problems],
    "read here": len(read_here),
}}))
"""

    def loaded(processes: str) -> dict[str, Any]:
        run = subprocess.run(
            [sys.executable, "-c", script, processes], capture_output=True, text=True, check=True, timeout=300
        )
        return cast(dict[str, Any], json.loads(run.stdout))

    apart_, together = loaded("two"), loaded("one")
    assert together["read here"] == len(files)
    assert 0 < apart_["read here"] < len(files)  # the rest in the forked process, which noted them in its own copy
    assert apart_["meetings"] == together["meetings"]
    shown = {source for source, *_ in together["meetings"]}
    assert len(shown) > 200 and not any(source.endswith((first.name, last.name)) for source in shown)
    assert apart_["problems"] == together["problems"]
    assert any(first.name in p and "status" in p for p in together["problems"])
    assert any(last.name in p and "date" in p for p in together["problems"])
