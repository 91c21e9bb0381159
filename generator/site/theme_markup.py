"""Corrections to the HTML the theme writes outside any block a template can override.

Material (9.8.1) writes its drawer and search toggles, in base.html, as
``<input type="checkbox" autocomplete="off">``; ``autocomplete`` is not allowed on
a checkbox, so every page would fail the HTML checker (tests/test_clean_site.py).
Overriding base.html whole, for two attributes, would mean keeping a copy of the
theme's largest template in step with it; removing the attribute from the finished
page is narrower. The attribute only stops Firefox restoring a toggle's state on
reload, so at worst an open menu stays open after a reload there.
"""

from __future__ import annotations

import re

# A checkbox <input> tag as the theme writes it: attributes in double quotes, no ">" in them.
_CHECKBOX = re.compile(r'<input\b[^>]*\btype="checkbox"[^>]*>')
_AUTOCOMPLETE = re.compile(r'\s+autocomplete="[^"]*"')


def without_checkbox_autocomplete(page: str) -> str:
    """The page with ``autocomplete`` removed from every checkbox."""
    return _CHECKBOX.sub(lambda tag: _AUTOCOMPLETE.sub("", tag.group(0)), page)
