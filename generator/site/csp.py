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
import re

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
    # Only the theme's part of the page is read: the theme's own markup, whose scripts
    # and head are written by templates, never by an editor (whose text is in the content).
    theme_part = page[:start] + page[start + len(content) :]
    insert_at = _policy_place(theme_part)
    if insert_at is None:
        raise ValueError("a page without a <head> cannot carry its Content-Security-Policy")
    if insert_at > start:
        # The place was found after the content was cut out: put it back where it is in the page.
        insert_at += len(content)
    tag = f'<meta http-equiv="Content-Security-Policy" content="{policy(_inline_scripts(theme_part))}">'
    return page[:insert_at] + tag + page[insert_at:]


# A <script> element, its attributes and its text as written (a browser hashes the text before
# decoding any entity), and the start tags the policy is placed after.
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
_SRC = re.compile(r"\bsrc\s*=", re.IGNORECASE)
_TYPE = re.compile(r"""\btype\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_CHARSET = re.compile(r"<meta\b[^>]*\bcharset\s*=[^>]*>", re.IGNORECASE)


def _inline_scripts(html: str) -> list[str]:
    """The texts of the scripts a browser would run from within the page (not data blocks, not files)."""
    found = []
    for script in _SCRIPT.finditer(html):
        attributes = script.group(1)
        declared = _TYPE.search(attributes)
        kind = next((g for g in declared.groups() if g is not None), "") if declared else ""
        if not _SRC.search(attributes) and kind.strip().lower() in _SCRIPT_TYPES:
            found.append(script.group(2))
    return found


def _policy_place(html: str) -> int | None:
    """Where the policy's tag goes: after <meta charset> if it comes before any script, else after <head>."""
    first_script = html.lower().find("<script")
    charset = _CHARSET.search(html)
    if charset and (first_script < 0 or charset.start() < first_script):
        return charset.end()
    head = _HEAD.search(html)
    return head.end() if head else None
