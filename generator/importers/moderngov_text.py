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
