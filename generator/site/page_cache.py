"""Finished pages kept between builds: a page whose inputs are unchanged is not converted or templated again.

MkDocs converts every page's Markdown and renders it through the theme on every
build, and a council's archive has thousands of pages of which one new meeting
changes a few dozen. A page's finished HTML depends on its own Markdown and front
matter, on the site's configuration and theme, and, through the links it holds,
on whether each page it links to exists and has the anchor it links to. All of
that is hashed into the page's key; a page with a cached entry under its key is
handed to MkDocs as its finished HTML (with the anchors it holds, which other
pages' links are checked against), so the cache can never change a byte.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import posixpath
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from generator.cache import BuildCache, key_of

KIND = "pages"
# What of MkDocs' configuration reaches a page's HTML: its chrome, navigation, links and extensions.
_CONFIG_KEYS = (
    "site_name",
    "site_url",
    "site_description",
    "site_author",
    "repo_url",
    "repo_name",
    "edit_uri",
    "copyright",
    "theme",
    "extra",
    "extra_css",
    "extra_javascript",
    "markdown_extensions",
    "mdx_configs",
    "nav",
    "use_directory_urls",
)
# What a page's links and anchors are, found by scanning its Markdown (see PageCache._scanned).
SCANS = "page-scans"
# A Markdown link's address: [words](address "title"), and a reference definition's. Apart, so that
# the first is found by its literal start, which is quicker than trying both at every character.
_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_REFERENCE = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.MULTILINE)
# What gives a page its anchors: explicit ids (attribute lists and raw HTML) and headings.
_ANCHOR = re.compile(r"\{#([^}\s]+)|\bid=\"([^\"]+)\"|^(#{1,6}[ \t].*)$", re.MULTILINE)


@dataclass(frozen=True)
class Finished:
    """A page as a build left it: its HTML, and the anchors in it that other pages may link to."""

    html: str
    anchors: frozenset[str]


def config_fingerprint(config: Mapping[str, Any], theme_dir: Path | None, serving: bool) -> str:
    """The part of a page's key that every page shares: configuration, theme overrides, preview or not."""
    digest = hashlib.sha256()
    settings = {name: config.get(name) for name in _CONFIG_KEYS}
    digest.update(json.dumps(settings, sort_keys=True, default=_plain).encode())
    digest.update(b"serve" if serving else b"build")
    if theme_dir is not None and theme_dir.is_dir():
        for path in sorted(p for p in theme_dir.rglob("*") if p.is_file()):
            digest.update(path.relative_to(theme_dir).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """Configuration values as JSON can hold them (the theme, paths, plugin objects)."""
    if isinstance(value, Mapping):
        return {str(k): v for k, v in value.items()}
    if isinstance(value, (set, frozenset)):
        return sorted(map(str, value))
    return str(value)


def anchors_in(markdown: str) -> frozenset[str]:
    """What a page's anchors are made from: its explicit ids, and its headings (which ids are made from)."""
    return frozenset(next(group for group in found if group) for found in _ANCHOR.findall(markdown))


class PageCache:
    """The finished pages of earlier builds, and the keys of this build's pages."""

    def __init__(self, cache: BuildCache, fingerprint: str, sources: Mapping[str, str]) -> None:
        # sources: every Markdown page's source path -> its Markdown, front matter and all.
        self.cache = cache
        self.fingerprint = fingerprint
        self.sources = sources
        self._anchors: dict[str, str] = {}

    def key(self, src_uri: str, markdown: str, meta: Mapping[str, Any], edit_uri: str | None) -> str:
        """A page's key: its own source, and for each page it links to, whether it exists and its anchors."""
        links = []
        for target, fragment in self._links_of(src_uri, markdown):
            exists = target in self.sources
            anchors = self._anchors_of(target) if fragment and exists else ""
            links.append(f"{target}#{fragment}|{exists}|{anchors}")
        return key_of(
            KIND,
            self.fingerprint,
            src_uri,
            markdown,
            json.dumps(meta, sort_keys=True, default=str),
            edit_uri or "",
            "\n".join(sorted(set(links))),
        )

    # Scanning a page's Markdown for its links and anchors takes a few seconds at 1,000 meetings,
    # and gives the same answer for the same text: each scan is kept, by the text scanned.
    def _scanned(self, what: str, src_uri: str, text: str, scan: Callable[[], Any]) -> Any:
        key = key_of(SCANS, what, src_uri, text)
        found = self.cache.get_object(SCANS, key)
        if found is None:
            found = scan()
            self.cache.put_object(SCANS, key, found)
        return found

    def _links_of(self, src_uri: str, markdown: str) -> tuple[tuple[str, str], ...]:
        """Each page this page links to, as its source path and the fragment linked to (or "")."""

        def scan() -> tuple[tuple[str, str], ...]:
            found = []
            for address in _LINK.findall(markdown) + _REFERENCE.findall(markdown):
                if re.match(r"^[a-z][a-z0-9+.-]*:", address, re.IGNORECASE):
                    continue  # another site, or mailto: MkDocs does not check those
                path, _, fragment = address.partition("#")
                target = posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path)) if path else src_uri
                found.append((target, fragment))
            return tuple(found)

        links: tuple[tuple[str, str], ...] = self._scanned("links", src_uri, markdown, scan)
        return links

    def _anchors_of(self, target: str) -> str:
        if target not in self._anchors:
            text = self.sources[target]

            def scan() -> str:
                return hashlib.sha256("\n".join(sorted(anchors_in(text))).encode()).hexdigest()

            self._anchors[target] = self._scanned("anchors", target, text, scan)
        return self._anchors[target]

    def get(self, key: str) -> Finished | None:
        """The page finished under this key by an earlier build, if any."""
        data = self.cache.get(KIND, key)
        if data is None:
            return None
        html, anchors = pickle.loads(data)  # noqa: S301 - our own cache folder
        return Finished(html, frozenset(anchors))

    def has(self, key: str) -> bool:
        """Whether an earlier build finished a page under this key (without reading it)."""
        return self.cache.has(KIND, key)

    def put(self, key: str, finished: Finished) -> None:
        """Keep a finished page for later builds."""
        self.cache.put(KIND, key, pickle.dumps((finished.html, sorted(finished.anchors))))

    def sweep(self) -> None:
        """Forget the pages, and the scans, no page of this build asked for."""
        self.cache.sweep(KIND)
        self.cache.sweep(SCANS)
