"""The Content-Security-Policy of every published page, as a <meta> tag in its <head>.

A static site cannot send headers everywhere it may be hosted (GitHub Pages sends
none of its own), so the policy travels in the page. It allows scripts only from
the site itself and, by their SHA-256 hashes, the page's own inline scripts: the
theme writes small ones into every page whose text depends on the page, so the
hashes are computed from each finished page, outside its body: a script inside the
page's own content (which the sanitiser removes anyway) is never hashed, so it could
not run. Nor can any inline event handler or javascript: address.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
from html.parser import HTMLParser

# Types under which a browser runs a <script>'s text; any other (application/json,
# application/ld+json) is a data block, never run, and needs no hash.
_SCRIPT_TYPES = frozenset({"", "module", "text/javascript", "application/javascript", "application/ecmascript"})

# Every source is the site itself. 'wasm-unsafe-eval' lets the search (Pagefind)
# compile its WebAssembly in the page, which it does where it cannot start its worker
# (whose own policy is not the page's), and allows nothing else: no eval() of text. Images may
# be data: addresses, as the theme's icons in its stylesheet are. Styles need no
# 'unsafe-inline': the pages carry no style attribute or element, and the theme's
# script sets styles through the DOM, which a policy does not restrict.
_OTHER_DIRECTIVES = {
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def policy(inline_scripts: list[str]) -> str:
    """The policy for a page whose inline scripts have the given texts."""
    # In a fixed order, so the same pages always build the same site.
    hashes = sorted({_source_hash(text) for text in inline_scripts})
    script_src = " ".join(["'self'", "'wasm-unsafe-eval'", *hashes])
    directives = {"default-src": "'self'", "script-src": script_src, **_OTHER_DIRECTIVES}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _source_hash(script: str) -> str:
    """The source expression that allows exactly this inline script: its text's SHA-256, in base64."""
    return f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"


def with_policy(page: str, content: str = "") -> str:
    """The page with its policy's <meta> tag first in its <head>, before any script.

    It goes right after <meta charset>, which must stay within the page's first
    bytes, or at the start of <head> when there is none. ``content`` is the page's
    body as the theme placed it in the page: no script in it is allowed to run.
    """
    start = page.find(content) if content else 0
    if start < 0:
        raise ValueError("the page's content is not in the page as given: its scripts cannot be told apart")
    # Reading only the theme's part of the page is also twice as fast as reading it all.
    theme_part = page[:start] + page[start + len(content) :]
    reader = _Reader()
    reader.feed(theme_part)
    reader.close()
    if reader.insert_at is None:
        raise ValueError("a page without a <head> cannot carry its Content-Security-Policy")
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(reader.inline_scripts)}">'
    return page[: reader.insert_at] + tag + page[reader.insert_at :]


class _Reader(HTMLParser):
    """Finds the texts of a page's inline scripts and where in <head> the policy goes."""

    def __init__(self) -> None:
        # Script text is read as written: a browser hashes it before any entity is decoded.
        super().__init__(convert_charrefs=False)
        self.inline_scripts: list[str] = []
        self.insert_at: int | None = None
        self._script: list[str] | None = None
        self._seen_script = False
        self._line_starts = [0]

    def feed(self, data: str) -> None:
        # Where each line starts, to turn the parser's (line, column) into a position.
        self._line_starts = [0, *itertools.accumulate(len(line) + 1 for line in data.split("\n"))]
        super().feed(data)

    def _end_of_tag(self) -> int:
        line, column = self.getpos()
        start = self._line_starts[line - 1] + column
        text = self.get_starttag_text() or ""
        return start + len(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        opens_head = tag == "head" and self.insert_at is None
        declares_charset = tag == "meta" and "charset" in named and not self._seen_script
        if opens_head or declares_charset:
            self.insert_at = self._end_of_tag()
        elif tag == "script":
            self._seen_script = True
            if "src" not in named and (named.get("type") or "").strip().lower() in _SCRIPT_TYPES:
                self._script = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.inline_scripts.append("".join(self._script))
            self._script = None
