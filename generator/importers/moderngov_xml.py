"""ModernGov web service `GetMeeting` XML -> a draft meeting.

ModernGov is the committee system most UK councils publish minutes with. Its
`GetMeeting` response holds the meeting's date, time and location, the agenda items
with their minute numbers, the minutes as HTML, linked documents and attendees.
Items and documents marked restricted (`isrestricted` True) are never imported:
they are only noted as withheld.
"""

from __future__ import annotations

import datetime as dt
import re
from html import unescape
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeXML
from markdownify import markdownify

from generator.importers.common import UnreadableSource, twelve_hour
from generator.importers.draft import Draft

# How ModernGov's attendance words map to the record's lists.
_PRESENT = {"present", "attended", "in attendance", "present as expected"}
_APOLOGIES = {"apologies", "apologies received", "apologies, sent substitute"}


def child_text(element: Element | None, tag: str) -> str:
    """The stripped text of an element's child ``tag``; empty when either is missing."""
    found = element.find(tag) if element is not None else None
    return (found.text or "").strip() if found is not None else ""


def uk_date(text: str) -> dt.date | None:
    """ModernGov's dd/mm/yyyy -> a date, or None if it is not one."""
    try:
        return dt.datetime.strptime(text.strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def html_to_markdown(html: str) -> str:
    """Minutes HTML (often pasted from Word) -> clean Markdown paragraphs."""
    markdown = markdownify(html, heading_style="ATX", strip=["span", "font", "o:p", "div", "img"])
    lines = [line.rstrip() for line in markdown.replace("\xa0", " ").splitlines()]
    text = "\n".join(lines)
    text = re.sub(r"[ \t]+", " ", text)
    # Word's hard line breaks inside a paragraph (but not before a list item or heading).
    text = re.sub(r"(?<=\S)\n(?!\s|[*#>-]\s|\d+\.\s)", " ", text)
    # Text entity-encoded twice (ModernGov often sends &amp;#39;) is left with entities once decoded.
    if _ENTITY.search(text):
        text = unescape(text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_ENTITY = re.compile(r"&(?:#\d{1,6}|#x[0-9a-fA-F]{1,6}|amp|quot|apos|lt|gt|nbsp);")


def _restricted(element: Element) -> bool:
    return child_text(element, "isrestricted").lower() == "true"


def _number(item: Element) -> str | None:
    number = child_text(item, "minutesitemnumber") or child_text(item, "agendaitemnumber")
    sub = child_text(item, "minutesitemsubnumber") or child_text(item, "agendaitemsubnumber")
    return (number + sub) if number else None


def read(xml: str, committee: str | None) -> Draft:
    """Read a GetMeeting response into a draft; restricted content never enters it."""
    try:
        root = SafeXML.fromstring(xml)
    except Exception as error:  # defusedxml raises several kinds for bad or hostile XML
        raise UnreadableSource(f"not readable XML: {error}") from None
    return read_element(root, committee)


def read_element(root: Element, committee: str | None) -> Draft:
    """Read a parsed GetMeeting response into a draft; restricted content never enters it."""
    if root.tag != "meeting":
        raise UnreadableSource(f"expected a ModernGov <meeting> (GetMeeting) response, found <{root.tag}>")
    notes: list[str] = []
    data: dict[str, Any] = {}
    if committee:
        data["committee"] = committee
    day = uk_date(child_text(root, "meetingdate"))
    if day:
        data["date"] = day.isoformat()
    else:
        notes.append(f"the meeting date '{child_text(root, 'meetingdate')}' is not a dd/mm/yyyy date")
    start = twelve_hour(child_text(root, "meetingtime"))
    if start:
        data["start_time"] = start
    location = child_text(root, "meetinglocation") or child_text(root, "meetingroom")
    if location:
        data["venue"] = location
    data["status"] = "draft"
    status = child_text(root, "meetingstatus")
    if status and status.lower() != "confirmed":
        notes.append(f"ModernGov gives the meeting's status as '{status}'")
    attendance = _attendance(root, notes)
    if attendance:
        data["attendance"] = attendance
    data["items"] = _items(root, notes)
    known = {
        "meetingid",
        "meetingdate",
        "meetingstatus",
        "isdisplayallowed",
        "meetingtime",
        "meetingactualstarttime",
        "meetingplannedfinishtime",
        "meetingactualfinishtime",
        "meetinglocation",
        "iswebcast",
        "agendaid",
        "agendapublished",
        "decisionpublished",
        "minutepublished",
        "meetingroom",
        "agendaitems",
        "attendees",
    }
    for child in root:
        if child.tag not in known and (child.text or "").strip():
            notes.append(f"unknown element <{child.tag}> was not imported: {(child.text or '').strip()[:80]}")
    return Draft(data, notes)


def _attendance(root: Element, notes: list[str]) -> dict[str, list[Any]]:
    present: list[Any] = []
    apologies: list[Any] = []
    for attendee in root.iter("attendee"):
        name = attendee.get("name", "").strip()
        if not name:
            continue
        person: dict[str, str] = {"name": name}
        if attendee.get("roledescription"):
            person["role"] = attendee.get("roledescription", "").strip()
        state = attendee.get("attendance", "").strip().lower()
        if state in _PRESENT:
            present.append(person)
        elif state in _APOLOGIES:
            apologies.append(person)
        else:
            notes.append(f"attendee {name}: attendance '{attendee.get('attendance', '')}' is not present or apologies")
    found = {}
    if present:
        found["present"] = present
    if apologies:
        found["apologies"] = apologies
    return found


def _items(root: Element, notes: list[str]) -> list[dict[str, Any]]:
    items = []
    for element in root.iter("agendaitem"):
        title = child_text(element, "agendaitemtitle")
        number = _number(element)
        label = f"item {number or '(unnumbered)'}"
        if _restricted(element):
            notes.append(
                f"{label} is restricted (exempt from publication) and was withheld: nothing of it is imported;"
                " if the minutes record it, add it as an item with private_under (its Schedule 12A paragraph)"
            )
            continue
        item: dict[str, Any] = {}
        if number:
            item["number"] = number
        item["title"] = title or "Untitled item"
        agenda = html_to_markdown(child_text(element, "agendatext"))
        if agenda:
            item["agenda_text"] = agenda
        minutes = html_to_markdown(child_text(element, "minutesnonemptyhtmlbody"))
        if minutes:
            item["text"] = minutes
            resolutions = [p for p in minutes.split("\n\n") if p.startswith(("RESOLVED", "Resolved"))]
            if resolutions:
                item["resolutions"] = resolutions
        documents = []
        for document in element.iter("linkeddoc"):
            doc_title = child_text(document, "title")
            if _restricted(document):
                notes.append(f"{label}: the restricted document '{doc_title}' was withheld")
                continue
            entry = {"title": doc_title or "Untitled document"}
            if child_text(document, "url"):
                entry["url"] = child_text(document, "url")
            documents.append(entry)
        if documents:
            item["documents"] = documents
        items.append(item)
    return items
