"""Permanent addresses: a committed manifest of every published address, and redirects.

An address, once published, must keep working: a build whose pages no longer
include an address in the manifest fails, unless content/redirects.yml sends that
address (in one hop) to one that exists, for example after a meeting's date is
corrected. `minutes addresses` adds new addresses to the manifest.
"""

from __future__ import annotations

import html
import posixpath
from collections.abc import Iterable
from pathlib import Path

from generator import urls
from generator.schema import Redirect

MANIFEST = "addresses.txt"


def read_manifest(content_dir: Path) -> set[str]:
    """The addresses the archive has published, from content/addresses.txt."""
    path = content_dir / MANIFEST
    if not path.exists():
        return set()
    return {
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }


def manifest_text(addresses: Iterable[str]) -> str:
    """The manifest file's text: a comment, then one address a line, sorted."""
    header = (
        "# Every address this archive has published. A build fails if one disappears without a\n"
        "# redirect in redirects.yml. Add new ones with `minutes addresses`; never delete a line.\n"
    )
    return header + "".join(f"{address}\n" for address in sorted(set(addresses)))


def kept_addresses(page_sources: Iterable[str], data_files: Iterable[str]) -> set[str]:
    """Every address a build publishes to be kept: its pages and its data files.

    The further pages of a long year of a register (``decisions/2021/2/``) are left
    out: what they hold moves as meetings are added, and a correction may remove
    one, so they are a way through the year, not an address to keep. The year's
    own page is kept.
    """
    # The home page's address is empty; the manifest writes it as "./".
    return {urls.address(source) or "./" for source in page_sources if not urls.is_continuation(source)} | set(
        data_files
    )


def check(manifest: set[str], addresses: set[str], redirects: list[Redirect]) -> list[str]:
    """Why this build would break a published address, if it would."""
    moved = {r.old: r.new for r in redirects}
    problems = []
    for address in sorted(manifest - addresses):
        if address not in moved:
            problems.append(
                f"'{address}' was published but this build has no page there: add a redirect from it"
                " in content/redirects.yml (from: old address, to: new address)"
            )
    for old, new in sorted(moved.items()):
        if new in moved:
            problems.append(
                f"the redirect from '{old}' goes to '{new}', itself redirected: point it at the final address"
            )
        elif new not in addresses:
            problems.append(f"the redirect from '{old}' goes to '{new}', which this build does not publish")
        if old in addresses:
            problems.append(f"'{old}' is redirected but still published: remove the redirect or the page")
    return problems


def redirect_page(old: str, new: str) -> str:
    """A page at the old address that sends the browser on to the new one."""
    target = posixpath.relpath(new or ".", old.rstrip("/") or ".") + ("/" if new.endswith("/") else "")
    target = html.escape(target)
    return (
        '<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        f'<title>Moved</title>\n<link rel="canonical" href="{target}">\n'
        f'<meta http-equiv="refresh" content="0; url={target}">\n</head>\n'
        f'<body>\n<p>This page has moved to <a href="{target}">{target}</a>.</p>\n</body>\n</html>\n'
    )
