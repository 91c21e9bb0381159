"""What HTML the archive publishes, and the two guards that keep everything else out.

Editor text is Markdown, and Markdown lets raw HTML, attribute lists and links of
any scheme through. Two guards stand between it and a resident's browser:

1. ``unsafe_markup`` (run by ``minutes validate`` and every build on every text
   field of every record) renders the text as the site would and reports each
   tag, attribute or link address outside ``EDITOR_TAGS``; the build stops, so the
   editor hears of it and nothing is published silently changed.
2. ``clean_page`` (run by the plugin on the body of every page, generated or
   hand-written) removes whatever is outside ``PAGE_TAGS``, in case a page
   template, an extension or a combination the first guard did not foresee lets
   something through. ``plain_text`` does the same for text that goes into the
   search index, the feeds and the calendars.

Both guards use a real HTML parser (html5ever through nh3, and the standard
library's parser), never patterns, so mixed case, entities and broken markup are
read the way a browser reads them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from functools import cache
from html.parser import HTMLParser

import markdown
import nh3

# Link schemes a page may hold; relative addresses (pages of the site, #anchors) pass too.
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# What Markdown makes of editor text with the archive's extensions (abbr, def_list,
# tables, admonition, attr_list), plus the inline tags an editor may type. No
# element here can run script, load a frame or an object, or carry styles.
EDITOR_TAGS: dict[str, frozenset[str]] = {
    tag: frozenset()
    for tag in [
        "p",
        "br",
        "hr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "em",
        "strong",
        "b",
        "i",
        "u",
        "s",
        "del",
        "ins",
        "sub",
        "sup",
        "small",
        "mark",
        "q",
        "cite",
        "code",
        "kbd",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "table",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "abbr",
        "div",
        "span",
    ]
} | {
    "a": frozenset({"href", "title"}),
    "img": frozenset({"src", "alt", "title", "width", "height"}),
    "ol": frozenset({"start"}),
    "abbr": frozenset({"title"}),
    "th": frozenset({"colspan", "rowspan"}),
    "td": frozenset({"colspan", "rowspan"}),
}
# Attributes an editor may give any allowed element (admonitions carry classes).
EDITOR_ATTRIBUTES = frozenset({"class"})

# The page templates add structure around the editor's text: navigation, the topic
# years, table captions and header scopes, anchors, and the registers' and
# search page's filter forms (which their scripts read through data- attributes).
PAGE_TAGS: dict[str, frozenset[str]] = {
    **EDITOR_TAGS,
    "th": EDITOR_TAGS["th"] | {"scope"},
    "nav": frozenset(),
    "section": frozenset(),
    "figure": frozenset(),
    "figcaption": frozenset(),
    "caption": frozenset(),
    "details": frozenset({"open"}),
    "summary": frozenset(),
    "form": frozenset({"method", "action"}),
    "label": frozenset({"for"}),
    "select": frozenset({"name"}),
    "option": frozenset({"value", "selected"}),
    "input": frozenset({"type", "name", "value", "autocomplete", "spellcheck", "placeholder"}),
    "button": frozenset({"type"}),
    "output": frozenset({"for"}),
    # A topic's years show how busy each was as a meter.
    "meter": frozenset({"min", "max", "value", "low", "high", "optimum"}),
}
PAGE_ATTRIBUTES = frozenset({"class", "id", "title", "role", "hidden", "lang"})
# aria- describes structure to assistive technology; data- is read by the site's own scripts.
PAGE_ATTRIBUTE_PREFIXES = frozenset({"aria-", "data-"})

# Attributes whose value is an address, checked against URL_SCHEMES.
_ADDRESS_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "cite", "poster", "background", "xlink:href"})
# Python-Markdown's extensions as mkdocs.yml lists them, so the first guard sees what
# the site would make of a text. Left out: toc, which adds only heading ids and anchors,
# and generator.site.tables, which adds only <caption> and scope, which editors may not write.
MARKDOWN_EXTENSIONS = ("abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables")
# Text without any of these cannot make Markdown produce a tag, attribute or link.
_MARKUP_SIGNS = ("<", "&", "](", "]:", "{")


def clean_page(body: str) -> str:
    """A page body with everything outside ``PAGE_TAGS`` removed."""
    return nh3.clean(
        body,
        tags=set(PAGE_TAGS),
        attributes={tag: set(names) for tag, names in PAGE_TAGS.items()} | {"*": set(PAGE_ATTRIBUTES)},
        generic_attribute_prefixes=set(PAGE_ATTRIBUTE_PREFIXES),
        url_schemes=set(URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def plain_text(text: str) -> str:
    """Editor text with every tag removed (scripts and styles with their content), as plain text.

    Entities are decoded and the result cleaned again until nothing changes, so that
    even a reader that wrongly takes this text for HTML finds no tag in it.
    """
    for _ in range(_MAX_ROUNDS):
        if not any(sign in text for sign in ("<", "&")):
            return text
        cleaner = html.unescape(nh3.clean(text, tags=set(), strip_comments=True))
        if cleaner == text:
            return text
        text = cleaner
    # Entities nested deeper than any real text: keep only what is certainly not markup.
    return text.replace("<", "").replace(">", "")


# Rounds of decoding plain_text tries; each peels one layer of entity encoding.
_MAX_ROUNDS = 5


@dataclass(frozen=True)
class Finding:
    """One thing in a text that the site will not publish."""

    what: str  # e.g. "a <script> element", "an onclick attribute on <img>"
    near: str  # text to look for in the source, to place the finding; may not be there


@cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS))


def unsafe_markup(text: str) -> list[Finding]:
    """Everything in a Markdown text that falls outside ``EDITOR_TAGS``, in order."""
    if not any(sign in text for sign in _MARKUP_SIGNS):
        return []
    converter = _markdown()
    rendered = converter.reset().convert(text)
    inspector = _Inspector()
    # Raw HTML blocks are stashed by Markdown and put back as written, so they are
    # inspected in the output like everything else.
    inspector.feed(rendered)
    inspector.close()
    return inspector.findings


class _Inspector(HTMLParser):
    """Collects each element, attribute and address that ``EDITOR_TAGS`` does not allow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.findings: list[Finding] = []

    def _add(self, what: str, near: str) -> None:
        finding = Finding(what, near)
        if finding not in self.findings:
            self.findings.append(finding)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = EDITOR_TAGS.get(tag)
        if allowed is None:
            self._add(f"a <{tag}> element", f"<{tag}")
            return
        for name, value in attrs:
            if name in _ADDRESS_ATTRIBUTES and value is not None and not _allowed_address(value):
                scheme = _scheme(value)
                self._add(f"a {scheme}: address in <{tag} {name}>", f"{scheme}:")
            elif name not in allowed and name not in EDITOR_ATTRIBUTES:
                self._add(f"a{'n' if name[:1] in 'aeiou' else ''} {name} attribute on <{tag}>", name)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data: str) -> None:
        self._add("an HTML comment", "<!--")

    def handle_decl(self, decl: str) -> None:
        self._add("a markup declaration", "<!")

    def handle_pi(self, data: str) -> None:
        self._add("a processing instruction", "<?")

    def unknown_decl(self, data: str) -> None:
        self._add("a markup declaration", "<!")


def _scheme(address: str) -> str:
    """The scheme of an address as a browser reads it: control characters and spaces dropped, any case."""
    compact = "".join(c for c in address if c > " " and c != "\x7f").lower()
    head, colon, _ = compact.partition(":")
    if not colon or "/" in head or "?" in head or "#" in head:
        return ""
    return head


def _allowed_address(address: str) -> bool:
    scheme = _scheme(address)
    return scheme == "" or scheme in URL_SCHEMES
