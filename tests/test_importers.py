"""The ModernGov importers, on inputs made for these tests (numbered and unnumbered items,
sub-items, a header without a date, a cancelled meeting, restricted items)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.importers import moderngov_text, moderngov_xml
from generator.importers.common import UnreadableSource
from generator.load import load_content
from generator.schema import Committee
from tests.fixtures import write_content

SECRET = "CANARY-EXEMPT-7Q2"


def get_meeting(items: str, attendees: str = "") -> str:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<meeting>
  <meetingid>1</meetingid>
  <meetingdate>10/02/2026</meetingdate>
  <meetingstatus>Confirmed</meetingstatus>
  <meetingtime>6.30 pm</meetingtime>
  <meetinglocation>Committee Room 1, Civic Centre</meetinglocation>
  <agendaitems>{items}</agendaitems>
  <attendees>{attendees}</attendees>
</meeting>"""


def agenda_item(number: str, sub: str, title: str, minutes: str, restricted: bool = False, docs: str = "") -> str:
    return f"""<agendaitem>
      <agendaitemtitle>{title}</agendaitemtitle>
      <agendatext>&lt;p&gt;Agenda for {title}.&lt;/p&gt;</agendatext>
      <minutesnonemptyhtmlbody>{minutes}</minutesnonemptyhtmlbody>
      <isrestricted>{restricted}</isrestricted>
      <minutesitemnumber>{number}</minutesitemnumber>
      <minutesitemsubnumber>{sub}</minutesitemsubnumber>
      <linkeddocuments>{docs}</linkeddocuments>
    </agendaitem>"""


def linked(title: str, restricted: bool = False) -> str:
    return f"""<linkeddoc><title>{title}</title><url>https://example.org/{title.replace(" ", "-")}.pdf</url>
      <isrestricted>{restricted}</isrestricted></linkeddoc>"""


WORD_HTML = (
    "&lt;div class=&quot;WordSection1&quot;&gt;&lt;p class=&quot;MsoNormal&quot;&gt;&lt;span style=&quot;&quot;&gt;"
    "The Board considered the report on knife crime in\nPenge.&lt;/span&gt;&lt;/p&gt;"
    "&lt;p class=&quot;MsoNormal&quot;&gt;&lt;b&gt;RESOLVED&lt;/b&gt; that the report be noted.&lt;/p&gt;&lt;/div&gt;"
)


def test_xml_items_minutes_documents_and_attendees() -> None:
    xml = get_meeting(
        agenda_item("3", "", "Apologies", "&lt;p&gt;Apologies were received.&lt;/p&gt;")
        + agenda_item("4", "a", "Knife crime", WORD_HTML, docs=linked("Knife crime report")),
        '<attendee name="Cllr Ann Example" roledescription="Chair" attendance="Present"/>'
        '<attendee name="Bo Example" attendance="Apologies"/>'
        '<attendee name="Cy Example" attendance="Expected"/>',
    )
    draft = moderngov_xml.read(xml, "board")
    assert draft.data["date"] == "2026-02-10"
    assert draft.data["start_time"] == "18:30"
    assert draft.data["venue"] == "Committee Room 1, Civic Centre"
    assert draft.data["attendance"] == {
        "present": [{"name": "Cllr Ann Example", "role": "Chair"}],
        "apologies": [{"name": "Bo Example"}],
    }
    first, second = draft.data["items"]
    assert (first["number"], second["number"]) == ("3", "4a")
    assert (
        second["text"]
        == "The Board considered the report on knife crime in Penge.\n\n**RESOLVED** that the report be noted."
    )
    assert second["agenda_text"] == "Agenda for Knife crime."
    assert second["documents"] == [{"title": "Knife crime report", "url": "https://example.org/Knife-crime-report.pdf"}]
    assert draft.notes == ["attendee Cy Example: attendance 'Expected' is not present or apologies"]
    assert draft.to_fill_in() == []


def test_xml_restricted_items_and_documents_are_withheld_entirely(tmp_path: Path) -> None:
    xml = get_meeting(
        agenda_item("5", "", f"Exempt contract {SECRET}", f"&lt;p&gt;{SECRET} terms&lt;/p&gt;", restricted=True)
        + agenda_item(
            "6", "", "Budget", "&lt;p&gt;The budget was noted.&lt;/p&gt;", docs=linked(f"Appendix {SECRET}", True)
        )
    )
    draft = moderngov_xml.read(xml, "board")
    assert [item["number"] for item in draft.data["items"]] == ["6"]
    assert "documents" not in draft.data["items"][0]
    assert draft.notes == [
        "item 5 is restricted (exempt from publication) and was withheld: nothing of it is imported;"
        " if the minutes record it, add it as an item with private_under (its Schedule 12A paragraph)",
        "item 6: the restricted document 'Appendix CANARY-EXEMPT-7Q2' was withheld",
    ]
    content = write_content(tmp_path, {})
    source = tmp_path / "meeting.xml"
    source.write_text(xml, encoding="utf-8")
    runner = CliRunner()
    result = runner.invoke(
        main, ["import", "moderngov-xml", "--committee", "board", "--content", str(content), str(source)]
    )
    assert result.exit_code == 0, result.output
    written = (content / "meetings" / "2026" / "2026-02-10-board.yml").read_text(encoding="utf-8")
    # The note names the document's title as a reference for the clerk, but no text of the item is kept.
    assert f"{SECRET} terms" not in written
    assert f"Exempt contract {SECRET}" not in written


@pytest.mark.parametrize(
    ("xml", "message"),
    [
        ("<getmeetings/>", re.escape("expected a ModernGov <meeting> (GetMeeting) response, found <getmeetings>")),
        ("<meeting><unclosed></meeting>", "not readable XML"),
        (
            '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><meeting>&b;</meeting>',
            "not readable XML",
        ),
    ],
)
def test_xml_that_is_not_a_meeting_is_refused_clearly(xml: str, message: str) -> None:
    with pytest.raises(UnreadableSource, match=message):
        moderngov_xml.read(xml, None)


def test_an_imported_file_validates_and_is_never_overwritten(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = write_content(tmp_path, {})
    source = tmp_path / "m.xml"
    source.write_text(get_meeting(agenda_item("1", "", "Apologies", "&lt;p&gt;None.&lt;/p&gt;")), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    first = runner.invoke(main, ["import", "moderngov-xml", "--committee", "board", str(source)])
    assert first.exit_code == 0, first.output
    path = tmp_path / "content" / "meetings" / "2026" / "2026-02-10-board.yml"
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../../../schema/meeting.schema.json"
    )
    assert [str(p) for p in load_content(content, tmp_path).problems] == []
    again = runner.invoke(main, ["import", "moderngov-xml", "--committee", "board", str(source)])
    assert again.exit_code == 1
    assert "already exists: the importer never overwrites a record" in again.output


COMMITTEES = [Committee(id="board", name="Safer Bromley Partnership Board")]

NUMBERED = """Agenda and minutes

Safer Bromley Partnership Board - Thursday 17 June 2021 10.00 am

Venue: Committee Room 1 - Bromley Civic Centre. View directions

Contact: Steve Wood  020 8313 4316

No. Item



1. Apologies for absence

Apologies were received from Bill Kelly, Anne Ball (MOPAC) and from Jane Bailey, Director of Education.



3a Knife crime update

The Board heard about knife crime.

·  Penge
·  Orpington

RESOLVED that the update be noted.



4.1 Prevent

The Prevent lead gave an update and  ...  view the full minutes text for item 4.1



39/20 Date of next meeting

The next meeting will be held at Bromley Civic Centre on 9th September at 10.00am.
"""


def test_text_numbered_items_sub_items_and_truncation() -> None:
    draft = moderngov_text.read(NUMBERED, COMMITTEES)
    data = draft.data
    assert (data["committee"], data["date"], data["start_time"]) == ("board", "2021-06-17", "10:00")
    assert data["venue"] == "Committee Room 1 - Bromley Civic Centre"
    assert data["contact"] == {"name": "Steve Wood", "phone": "020 8313 4316"}
    assert [(i.get("number"), i["title"]) for i in data["items"]] == [
        ("1", "Apologies for absence"),
        ("3a", "Knife crime update"),
        ("4.1", "Prevent"),
        ("39/20", "Date of next meeting"),
    ]
    knife = data["items"][1]
    assert knife["text"] == (
        "The Board heard about knife crime.\n\n- Penge\n- Orpington\n\nRESOLVED that the update be noted."
    )
    assert knife["resolutions"] == ["RESOLVED that the update be noted."]
    prevent = data["items"][2]
    assert prevent["text"] == "The Prevent lead gave an update and  ..."
    assert prevent["truncated"] is True
    assert data["attendance"] == {
        "apologies": [{"name": "Bill Kelly"}, {"name": "Anne Ball", "organisation": "MOPAC"}, {"name": "Jane Bailey"}]
    }
    assert data["next_meeting"] == {"date": "2021-09-09", "time": "10:00", "venue": "Bromley Civic Centre"}
    assert draft.notes == ["apologies: 'Director of Education' may be a role rather than a name; check the attendance"]
    assert draft.to_fill_in() == []


UNNUMBERED = """Agenda and minutes

Venue: Committee Room 2 - Bromley Civic Centre

The Group noted the minutes of the last meeting.

It was AGREED that the minutes be approved.



A strange line the importer cannot place.

The Borough Commander gave the police update and  ...  view the full minutes text for item 150.



The date of the next meeting was confirmed as 14th September 2017.
"""


def test_text_header_without_a_date_lists_what_to_fill_in_and_loses_no_line() -> None:
    draft = moderngov_text.read(UNNUMBERED, COMMITTEES, committee="board")
    assert "the source prints no date: fill in `date`" in draft.notes
    assert draft.to_fill_in() == ["date: is required but missing (hint: add `date:` with its value)"]
    first, second, _ = draft.data["items"]
    assert first["resolutions"] == ["It was AGREED that the minutes be approved."]
    assert second["number"] == "150" and second["truncated"] is True
    assert draft.data["next_meeting"] == {"date": "2017-09-14"}  # no year in the header: the text's own year
    written = "\n".join(str(value) for item in draft.data["items"] for value in item.values())
    for line in UNNUMBERED.splitlines():
        words = line.replace("view the full minutes text for item 150.", "").strip()
        if words and words not in moderngov_text.CHROME and not words.startswith("Venue:"):
            assert words.rstrip(". ") in written, line


def test_text_of_a_cancelled_meeting_is_refused_clearly() -> None:
    cancelled = "Agenda and minutes\n\nSafer Bromley Partnership Board - Thursday 9 September 2021\n\nThis meeting has been cancelled.\n"
    with pytest.raises(UnreadableSource, match="cancelled meeting has no minutes to import"):
        moderngov_text.read(cancelled, COMMITTEES)


def test_text_import_command_writes_a_draft_and_reports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_content(tmp_path, {})
    source = tmp_path / "minutes.txt"
    source.write_text(
        NUMBERED.replace("Safer Bromley Partnership Board -", "Safer Bromley Partnership Board -"), encoding="utf-8"
    )
    (tmp_path / "content" / "committees.yml").write_text(
        "committees:\n  - id: board\n    name: Safer Bromley Partnership Board\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["import", "moderngov-text", str(source)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "wrote content/meetings/2021/2021-06-17-board.yml"
    assert (
        "review: apologies: 'Director of Education' may be a role rather than a name; check the attendance"
        in result.output
    )
    content = load_content(tmp_path / "content", tmp_path)
    assert content.errors == []


# The current ModernGov layout, in words of our own: the page's title, the committee and the
# date on lines of their own, a Teams venue with a long note, then "Items / No. / Item".
LISTING = """Agenda and draft minutes
Safer Bromley Partnership Board
Tuesday, 10th February, 2026 10.00 am
Venue: Microsoft Teams
Contact: Sam Clerk  020 0000 0000
Note: This meeting will be held remotely. Members of the public may watch it live; a link is on the council's website, and a recording will be kept for a year.
Items
No.
Item
93.
Minutes of the previous meeting pdf icon PDF 268 KB
To agree the minutes of the meeting held on 25 November 2025.
Minutes:
RESOLVED that the minutes of the meeting held on 25 November 2025 be agreed as a correct record.
94.
APPOINTMENT OF VICE-CHAIR
Decision:
That Councillor Ann Example be appointed Vice-Chair for the rest of the year.
Minutes:
The Board was asked to appoint a Vice-Chair.

Councillor Bo Example proposed Councillor Ann Example, and the Board agreed.
39/20
Knife crime update pdf icon PDF 120 KB
The police will report on knife crime.
Appendix A - figures by ward pdf icon PDF 80 KB
Additional documents:
Minutes:
The Chief Inspector reported a fall in knife crime.
RESOLVED that the update be noted.
3a
Prevent
Minutes:
The Prevent lead gave an update.
4.1
Hate crime
Minutes:
There was no update.
101.
Date of the next meeting
Minutes:
The next meeting will be held on 9th April 2026 at 10.00am.
"""


def test_the_current_layout_gives_numbers_titles_agenda_decisions_minutes_and_papers() -> None:
    draft = moderngov_text.read(LISTING, COMMITTEES)
    data = draft.data
    assert (data["committee"], data["date"], data["start_time"]) == ("board", "2026-02-10", "10:00")
    assert data["venue"] == "Microsoft Teams"
    assert data["contact"] == {"name": "Sam Clerk", "phone": "020 0000 0000"}
    assert [(i.get("number"), i["title"]) for i in data["items"]] == [
        ("93", "Minutes of the previous meeting"),
        ("94", "APPOINTMENT OF VICE-CHAIR"),
        ("39/20", "Knife crime update"),
        ("3a", "Prevent"),
        ("4.1", "Hate crime"),
        ("101", "Date of the next meeting"),
    ]
    minutes, vice_chair, knife = data["items"][:3]
    assert minutes["agenda_text"] == "To agree the minutes of the meeting held on 25 November 2025."
    assert minutes["resolutions"] == [
        "RESOLVED that the minutes of the meeting held on 25 November 2025 be agreed as a correct record."
    ]
    # The decision block's words stay in the minutes, first, and are lifted out.
    assert vice_chair["text"] == (
        "That Councillor Ann Example be appointed Vice-Chair for the rest of the year.\n\n"
        "The Board was asked to appoint a Vice-Chair.\n\n"
        "Councillor Bo Example proposed Councillor Ann Example, and the Board agreed."
    )
    assert vice_chair["resolutions"] == [
        "That Councillor Ann Example be appointed Vice-Chair for the rest of the year."
    ]
    assert knife["agenda_text"] == "The police will report on knife crime."
    assert knife["documents"] == [{"title": "Appendix A - figures by ward"}]
    assert knife["text"] == "The Chief Inspector reported a fall in knife crime.\n\nRESOLVED that the update be noted."
    assert data["next_meeting"] == {"date": "2026-04-09", "time": "10:00"}
    assert draft.notes == [
        "the page calls these minutes a draft",
        "the page's note: This meeting will be held remotely. Members of the public may watch it live; a link is on"
        " the council's website, and a recording will be kept for a year.",
    ]
    assert draft.to_fill_in() == []


DECISIONS_HEADER = """Agenda, decisions and minutes
Safer Bromley Partnership Board - Thursday 17 June 2021 6.30 pm
Items
No.
Item
1.
Apologies for absence
Minutes:
Apologies were received from Bill Kelly.
"""


def test_the_decisions_header_and_a_one_line_committee_and_date() -> None:
    data = moderngov_text.read(DECISIONS_HEADER, COMMITTEES).data
    assert (data["committee"], data["date"], data["start_time"]) == ("board", "2021-06-17", "18:30")
    assert data["items"] == [
        {"number": "1", "title": "Apologies for absence", "text": "Apologies were received from Bill Kelly."}
    ]
    assert data["attendance"] == {"apologies": [{"name": "Bill Kelly"}]}


PRINTED = """Printed minutes
Safer Bromley Partnership Board
Thursday, 17th June, 2021 10.00 am
<AI1>
1. Apologies for absence
Apologies were received from Bill Kelly.
</AI1>
<AI2>
2a
KNIFE CRIME
The Board heard about knife crime in Penge.

RESOLVED that the update be noted.
</AI2>
"""


def test_printed_minutes_in_item_markers() -> None:
    data = moderngov_text.read(PRINTED, COMMITTEES).data
    assert data["date"] == "2021-06-17"
    assert [(i.get("number"), i["title"]) for i in data["items"]] == [
        ("1", "Apologies for absence"),
        ("2a", "KNIFE CRIME"),
    ]
    assert (
        data["items"][1]["text"] == "The Board heard about knife crime in Penge.\n\nRESOLVED that the update be noted."
    )
    assert data["items"][1]["resolutions"] == ["RESOLVED that the update be noted."]
