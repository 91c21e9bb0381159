"""The plain text of a ModernGov "Agenda and minutes" page -> a draft meeting.

The text keeps little structure: a header line ("Safer Bromley Partnership Board -
Thursday 17 June 2021 10.00 am") where the page prints one, "Venue:" and "Contact:"
lines, and items separated by wider gaps, sometimes numbered, sometimes cut short
with "view the full minutes text for item 20". This reads what it can and keeps
every other line in the draft's text, listing it in the review report: no line of
the source is lost.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from generator.importers.common import UnreadableSource, twelve_hour
from generator.importers.draft import Draft
from generator.schema import Committee

# Page furniture: words of the web page, not of the minutes.
CHROME = {"Agenda and minutes", "No. Item", "Additional documents:", "Original Text:"}
# A blank-line gap this wide or wider separates items; narrower ones separate paragraphs.
ITEM_GAP = 3
MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}

_HEADER = re.compile(
    r"^(?P<committee>.+?) - (?:\w+day )?(?P<day>\d{1,2})(?:st|nd|rd|th)? (?P<month>[A-Za-z]+) (?P<year>\d{4})"
    r"(?: (?P<time>\d{1,2}[.:]\d{2} ?[ap]m))?$"
)
_TRUNCATED = re.compile(r"\s*view the full minutes text for item (?P<number>\S+?)\.?\s*$")
_NUMBERED = re.compile(r"^(?P<number>\d{1,4}(?:[a-z]|[./]\d{1,3}[a-z]?)?)\.?\s+(?P<title>\S.{1,150})$")
_CANCELLED = re.compile(r"\b(?:this meeting (?:has been|was|is) cancelled|meeting cancelled)\b", re.IGNORECASE)
_DATE = re.compile(
    r"(?:\w+day )?(?P<day>\d{1,2})(?:st|nd|rd|th)? (?P<month>[A-Z][a-z]+)(?: (?P<year>\d{4}))?"
    r"|(?:\w+day )?(?P<month2>[A-Z][a-z]+) (?P<day2>\d{1,2})(?:st|nd|rd|th)?(?:,? (?P<year2>\d{4}))?"
)
# A name as minutes print it: two to four capitalised words, perhaps "(MOPAC)" after.
_PERSON = re.compile(r"^(?P<name>[A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+){1,3})(?: \((?P<org>[^)]+)\))?$")
_VENUE = re.compile(r"\bat (?P<venue>[A-Z][\w ]+?(?:Centre|Hall|House|Room \d+|Offices))\b")


@dataclass
class _Paragraph:
    text: str
    gap_before: int  # blank lines before it


@dataclass
class _Item:
    paragraphs: list[str] = field(default_factory=list)
    number: str | None = None
    title: str | None = None
    truncated: bool = False


def paragraphs(text: str) -> list[_Paragraph]:
    """The text's paragraphs, each with the number of blank lines before it."""
    found: list[_Paragraph] = []
    gap = start_gap = 0
    current: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if line.strip():
            if not current:
                start_gap = gap
            current.append(line.rstrip())
            gap = 0
        else:
            if current:
                found.append(_Paragraph("\n".join(current).strip(), start_gap))
                current = []
            gap += 1
    if current:
        found.append(_Paragraph("\n".join(current).strip(), start_gap))
    return found


def _date(match: re.Match[str], fallback_year: int | None) -> dt.date | None:
    day = match.group("day") or match.group("day2")
    month = (match.group("month") or match.group("month2") or "").lower()
    year = match.group("year") or match.group("year2") or fallback_year
    if month not in MONTHS or not year:
        return None
    try:
        return dt.date(int(year), MONTHS[month], int(day))
    except ValueError:
        return None


def _committee_id(name: str, committees: list[Committee]) -> str | None:
    for committee in committees:
        if committee.name.lower() == name.strip().lower():
            return committee.id
    return None


def read(text: str, committees: list[Committee], committee: str | None = None) -> Draft:
    """Read the page's text into a draft meeting and a review report."""
    if _CANCELLED.search(text):
        raise UnreadableSource(
            "the source says this meeting was cancelled: a cancelled meeting has no minutes to import"
        )
    lines = [line.strip() for line in text.replace("\r\n", "\n").split("\n")]
    if _is_listing(lines) or any(_AI_OPEN.match(line) for line in lines):
        return _read_listing(lines, committees, committee)
    notes: list[str] = []
    data: dict[str, Any] = {}
    if committee:
        data["committee"] = committee
    items: list[_Item] = []
    started = False
    for paragraph in paragraphs(text):
        line = paragraph.text
        if line in CHROME:
            continue
        header = _HEADER.match(line) if "\n" not in line else None
        if header and "date" not in data:
            found = _committee_id(header.group("committee"), committees)
            if found and not committee:
                data["committee"] = found
            elif not found:
                notes.append(f"the committee '{header.group('committee')}' is not in content/committees.yml")
            day = _date(header, None)
            if day:
                data["date"] = day.isoformat()
            if header.group("time"):
                data["start_time"] = twelve_hour(header.group("time"))
            continue
        if line.startswith("Venue:") and "venue" not in data:
            data["venue"] = line.removeprefix("Venue:").strip().removesuffix("View directions").strip().rstrip(".")
            continue
        if line.startswith("Contact:") and "contact" not in data:
            name, *phone = re.split(r"\s{2,}", line.removeprefix("Contact:").strip(), maxsplit=1)
            data["contact"] = {"name": name, **({"phone": phone[0]} if phone else {})}
            continue
        if not started or paragraph.gap_before >= ITEM_GAP or items[-1].truncated:
            items.append(_Item())
            started = True
            numbered = _NUMBERED.match(line) if "\n" not in line else None
            if numbered and len(numbered.group("title").split()) <= 12 and not line.endswith("."):
                items[-1].number, items[-1].title = numbered.group("number"), numbered.group("title").strip()
                continue
        cut = _TRUNCATED.search(line)
        if cut:
            line = line[: cut.start()].rstrip()
            if items[-1].number is None:
                items[-1].number = cut.group("number")
            items[-1].truncated = True
        items[-1].paragraphs.append(line)
    if "date" not in data:
        notes.append("the source prints no date: fill in `date`")
    data["status"] = "draft"
    data["items"] = [
        _item_data(item, position, notes) for position, item in enumerate(items) if item.paragraphs or item.title
    ]
    _apologies(data, notes)
    _next_meeting(data, notes)
    return Draft(data, notes)


def _item_data(item: _Item, position: int, notes: list[str]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if item.number:
        data["number"] = item.number
    if item.title:
        data["title"] = item.title
    else:
        first = " ".join(item.paragraphs[0].split()[:8]) if item.paragraphs else "Untitled item"
        data["title"] = first.rstrip(".,;:") + ("…" if item.paragraphs and len(item.paragraphs[0].split()) > 8 else "")
        notes.append(f"items[{position}] has no title in the source: '{data['title']}' is drawn from its first words")
    text = "\n\n".join(_markdown(p) for p in item.paragraphs)
    if text:
        data["text"] = text
    resolutions = [p for p in item.paragraphs if re.match(r"^(RESOLVED|It was AGREED)\b", p)]
    if resolutions:
        data["resolutions"] = resolutions
    if item.truncated:
        data["truncated"] = True
    return data


def _markdown(paragraph: str) -> str:
    """A paragraph as Markdown: bullet characters become list items, words unchanged."""
    lines = paragraph.split("\n")
    return "\n".join(
        "- " + line.lstrip("·•").strip() if line.lstrip().startswith(("·", "•")) else line for line in lines
    )


def _apologies(data: dict[str, Any], notes: list[str]) -> None:
    """Names from "Apologies were received from A, B and C." paragraphs."""
    names: list[Any] = []
    for item in data["items"]:
        for paragraph in item.get("text", "").split("\n\n"):
            match = re.match(r"^Apologies (?:were|was) (?:also )?received from (?P<names>.+?)\.?$", paragraph)
            if not match:
                continue
            for part in re.split(r",?\s+and\s+(?:from\s+)?|,\s*(?:and\s+(?:from\s+)?)?", match.group("names")):
                part = part.strip().removeprefix("from ").strip()
                person = _PERSON.match(part)
                if person:
                    organisation = person.group("org")
                    names.append(
                        {"name": person.group("name"), **({"organisation": organisation} if organisation else {})}
                    )
                elif part:
                    notes.append(f"apologies: '{part}' may be a role rather than a name; check the attendance")
    if names:
        data["attendance"] = {"apologies": names}


def _next_meeting(data: dict[str, Any], notes: list[str]) -> None:
    """The next meeting's date, time and venue from a "next meeting" paragraph."""
    year = int(data["date"][:4]) if "date" in data else None
    for item in reversed(data["items"]):
        for paragraph in item.get("text", "").split("\n\n"):
            if "next meeting" not in paragraph.lower():
                continue
            for match in _DATE.finditer(paragraph):
                day = _date(match, year)
                if day and ("date" not in data or day.isoformat() > data["date"]):
                    found: dict[str, Any] = {"date": day.isoformat()}
                    time = twelve_hour(paragraph)
                    if time:
                        found["time"] = time
                    venue = _VENUE.search(paragraph)
                    if venue:
                        found["venue"] = venue.group("venue")
                    data["next_meeting"] = found
                    return
    notes.append("no next meeting date was found: add `next_meeting` if the minutes give one")


# --- The current ModernGov layout ----------------------------------------------------------
#
# "Items" / "No." / "Item" on lines of their own, then for each item a line with only
# its number ("93.", "3a", "4.1", "39/20"), a line with its title (often followed by
# "pdf icon PDF 268 KB"), perhaps the agenda's description and its papers, perhaps a
# "Decision:" block, then "Minutes:" and the minutes. "Printed minutes" wrap each item
# in <AI1> ... </AI1> markers instead. The header may be "Agenda and draft minutes" or
# "Agenda, decisions and minutes", with the committee and the date on lines of their own.

_PAGE_TITLE = re.compile(
    r"^(?:agenda(?:,| and) (?:draft )?(?:decisions and )?minutes|printed minutes|agenda)$", re.IGNORECASE
)
_NUMBER_LINE = re.compile(r"^(?P<number>\d{1,4}(?:[a-z]{1,2}|[./]\d{1,3}[a-z]?)?)\.?$")
_NUMBER_AND_TITLE = re.compile(r"^(?P<number>\d{1,4}(?:[a-z]{1,2}|[./]\d{1,3}[a-z]?)?)\.?\s+(?P<title>\S.*)$")
# A paper's link as the page prints it: "Appendix A pdf icon PDF 120 KB".
_DOCUMENT_SIZE = re.compile(r"\s*(?:pdf icon\s+)?PDF\s+\d+(?:\.\d+)?\s*[KMG]B\s*$", re.IGNORECASE)
_LONG_DATE = re.compile(
    r"^(?:\w+day,?\s+)?(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+(?P<month>[A-Za-z]+),?\s+(?P<year>\d{4})"
    r"(?:,?\s+(?P<time>\d{1,2}[.:]\d{2}\s?[ap]m))?\.?$",
    re.IGNORECASE,
)
_AI_OPEN = re.compile(r"^<AI(?P<n>\d+)>$")
_AI_CLOSE = re.compile(r"^</AI\d+>$")
_BLOCKS = {"decision:": "decision", "minutes:": "minutes"}


def _is_listing(lines: list[str]) -> bool:
    for place in range(len(lines) - 2):
        if lines[place] == "Items" and lines[place + 1] == "No." and lines[place + 2] == "Item":
            return True
    return False


@dataclass
class _ListedItem:
    number: str | None = None
    title: str | None = None
    agenda: list[str] = field(default_factory=list)
    decision: list[str] = field(default_factory=list)
    minutes: list[str] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)


def _paragraphs_of(lines: list[str]) -> list[str]:
    """Lines into paragraphs: blank lines part them; a page copied without them gives a paragraph a line."""
    found: list[list[str]] = [[]]
    for line in lines:
        if line:
            found[-1].append(line)
        elif found[-1]:
            found.append([])
    parts = [" ".join(p) for p in found if p] if any(not line for line in lines) else [line for line in lines if line]
    return [_markdown(p) for p in parts]


def _read_header(lines: list[str], committees: list[Committee], data: dict[str, Any], notes: list[str]) -> None:
    names = {c.name.casefold(): c.id for c in committees}
    previous = ""
    for line in lines:
        if not line or _PAGE_TITLE.match(line):
            if line and "draft" in line.lower():
                notes.append("the page calls these minutes a draft")
            continue
        one_line = _HEADER.match(line)
        if one_line and "date" not in data:
            found = names.get(one_line.group("committee").strip().casefold())
            if found:
                data.setdefault("committee", found)
            day = _date(one_line, None)
            if day:
                data["date"] = day.isoformat()
            if one_line.group("time"):
                data["start_time"] = twelve_hour(one_line.group("time"))
            continue
        when = _LONG_DATE.match(line)
        if when and "date" not in data:
            try:
                month = MONTHS[when.group("month").lower()]
                data["date"] = dt.date(int(when.group("year")), month, int(when.group("day"))).isoformat()
            except (KeyError, ValueError):
                notes.append(f"the date line '{line}' is not a date")
            if when.group("time"):
                data["start_time"] = twelve_hour(when.group("time"))
            # The committee stands on the line before the date, where the page splits them.
            if previous and "committee" not in data:
                found = names.get(previous.casefold())
                if found:
                    data["committee"] = found
                else:
                    notes.append(f"the committee '{previous}' is not in content/committees.yml")
            continue
        if line.startswith("Venue:"):
            data.setdefault(
                "venue", line.removeprefix("Venue:").strip().removesuffix("View directions").strip().rstrip(".")
            )
        elif line.startswith("Contact:"):
            name, *phone = re.split(r"\s{2,}", line.removeprefix("Contact:").strip(), maxsplit=1)
            data.setdefault("contact", {"name": name, **({"phone": phone[0]} if phone else {})})
        elif line.startswith("Note:"):
            notes.append(f"the page's note: {line.removeprefix('Note:').strip()}")
        elif names.get(line.casefold()) and "committee" not in data:
            data["committee"] = names[line.casefold()]
        else:
            notes.append(f"a line of the page's header was not placed: '{line}'")
        previous = line


def _listed_items(lines: list[str]) -> list[_ListedItem]:
    """The items after "Items / No. / Item", or in <AI> markers."""
    items: list[_ListedItem] = []
    block = "agenda"
    in_marker = False
    for line in lines:
        opening = _AI_OPEN.match(line)
        if opening:
            items.append(_ListedItem())
            block, in_marker = "minutes", True
            continue
        if _AI_CLOSE.match(line):
            in_marker = False
            continue
        number = _NUMBER_LINE.match(line)
        if number and not in_marker:
            items.append(_ListedItem(number=number.group("number")))
            block = "agenda"
            continue
        if not items:
            continue
        item = items[-1]
        if item.title is None:
            if not line:
                continue
            numbered = _NUMBER_AND_TITLE.match(line) if item.number is None else None
            if numbered:
                item.number, line = numbered.group("number"), numbered.group("title")
            elif item.number is None:
                only = _NUMBER_LINE.match(line)
                if only:
                    item.number = only.group("number")
                    continue
            item.title = _DOCUMENT_SIZE.sub("", line).strip()
            continue
        if line.lower() in _BLOCKS:
            block = _BLOCKS[line.lower()]
            continue
        if line == "Additional documents:":
            continue
        if block == "agenda" and _DOCUMENT_SIZE.search(line):
            item.documents.append(_DOCUMENT_SIZE.sub("", line).strip())
            continue
        getattr(item, block).append(line)
    return items


def _read_listing(lines: list[str], committees: list[Committee], committee: str | None) -> Draft:
    notes: list[str] = []
    data: dict[str, Any] = {}
    if committee:
        data["committee"] = committee
    start = next((n for n in range(len(lines) - 2) if lines[n : n + 3] == ["Items", "No.", "Item"]), None)
    if start is None:
        start = next(n for n, line in enumerate(lines) if _AI_OPEN.match(line))
        body = lines[start:]
    else:
        body = lines[start + 3 :]
    _read_header(lines[:start], committees, data, notes)
    if "date" not in data:
        notes.append("the source prints no date: fill in `date`")
    data["status"] = "draft"
    items = []
    for position, listed in enumerate(_listed_items(body)):
        item: dict[str, Any] = {}
        if listed.number:
            item["number"] = listed.number
        item["title"] = listed.title or "Untitled item"
        if not listed.title:
            notes.append(f"items[{position}] has no title in the source")
        agenda = _paragraphs_of(listed.agenda)
        if agenda:
            item["agenda_text"] = "\n\n".join(agenda)
        decision = _paragraphs_of(listed.decision)
        minutes = _paragraphs_of(listed.minutes)
        # The decision block is the record's too: its words stay, ahead of the minutes, and are lifted out.
        text = decision + minutes
        if text:
            item["text"] = "\n\n".join(text)
        resolutions = decision + [p for p in minutes if re.match(r"^(RESOLVED|It was AGREED|AGREED)\b", p)]
        if resolutions:
            item["resolutions"] = list(dict.fromkeys(resolutions))
        if listed.documents:
            item["documents"] = [{"title": title} for title in listed.documents]
        items.append(item)
    data["items"] = items
    _apologies(data, notes)
    _next_meeting(data, notes)
    return Draft(data, notes)
