"""A polite, resumable client of a council's ModernGov web service (`mgWebService.asmx`).

Real installs are slow (up to a minute a call), sit behind bot filters, move
address, and send no ETag or Last-Modified, so this client:

- names itself (a User-Agent with the project's address), waits at least
  ``rate`` seconds between requests (one a second unless told otherwise), and
  gives each request 60 seconds;
- retries a timeout, a dropped connection or a 5xx reply, with backoff (tenacity);
- says in one line, never a traceback, what a 403, a 404, a reply that is not
  XML, or unsafe or broken XML means (parsed with defusedxml);
- keeps every reply in an on-disk cache, so an interrupted import resumes without
  asking again and ``offline`` replays the cache alone. A reply that can still
  change (a meeting's listing for this year, a meeting whose minutes are not yet
  published) is asked for again after ``fresh_for``; one that cannot is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as SafeXML
import httpx
import tenacity

from generator.importers.common import UnreadableSource

USER_AGENT = "minutes-archive/0.1 (public minutes archive importer; +https://github.com/safer-bromley/minutes-archive)"
TIMEOUT = 60.0
ENDPOINT = "mgWebService.asmx"


class ServiceError(UnreadableSource):
    """The service could not be asked, or its reply read: the message says why, in one line."""


class _Retry(Exception):
    """A reply or failure worth asking again for: a timeout, a dropped connection, a 5xx."""


@dataclass
class Counts:
    """How many requests went to the service, and how many replies came from the cache."""

    fetched: int = 0
    replayed: int = 0


@dataclass
class Service:
    """The web service of one ModernGov install, at ``site`` (``https://democracy.example.gov.uk``)."""

    site: str
    cache_dir: Path
    rate: float = 1.0
    offline: bool = False
    fresh_for: dt.timedelta = dt.timedelta(days=1)
    attempts: int = 4
    # Seconds to wait before each retry: short in tests, growing in use.
    backoff: Callable[[int], float] = field(default=lambda attempt: min(2.0**attempt, 30.0))
    transport: httpx.BaseTransport | None = None
    timeout: float = TIMEOUT
    counts: Counts = field(default_factory=Counts)
    # Every address asked, in order: what went over the network, for the log and the tests.
    requested: list[str] = field(default_factory=list)
    _last: float = 0.0
    _client: httpx.Client | None = None

    def url(self, operation: str, params: Mapping[str, str]) -> str:
        """The GET address of an operation."""
        base = self.site.rstrip("/")
        return f"{base}/{ENDPOINT}/{operation}" + (f"?{urlencode(params)}" if params else "")

    def _cache_path(self, operation: str, params: Mapping[str, str]) -> Path:
        host = urlsplit(self.site).netloc or "site"
        key = hashlib.sha256(self.url(operation, params).encode()).hexdigest()[:20]
        return self.cache_dir / host / operation / f"{key}.xml"

    def ask(self, operation: str, params: Mapping[str, str] | None = None, *, final: bool = True) -> Element:
        """The parsed reply to an operation; ``final`` when the reply can no longer change."""
        params = dict(params or {})
        path = self._cache_path(operation, params)
        kept = self._kept(path, final)
        if kept is not None:
            self.counts.replayed += 1
            return self._parse(kept, operation)
        if self.offline:
            raise ServiceError(f"{operation} {dict(params) or ''} is not in the cache at {self.cache_dir} (--offline)")
        body = self._fetch(operation, params)
        root = self._parse(body, operation)
        self._keep(path, body)
        return root

    def _kept(self, path: Path, final: bool) -> bytes | None:
        if not path.is_file():
            return None
        age = dt.timedelta(seconds=time.time() - path.stat().st_mtime)
        if final or self.offline or age < self.fresh_for:
            return path.read_bytes()
        return None

    def _keep(self, path: Path, body: bytes) -> None:
        """Keep a reply, written whole or not at all."""
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as out:
            out.write(body)
        os.replace(out.name, path)

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                headers={"User-Agent": USER_AGENT, "Accept": "text/xml, application/xml"},
                timeout=self.timeout,
                follow_redirects=True,
                transport=self.transport,
            )
        return self._client

    def close(self) -> None:
        """Let go of the connection."""
        if self._client is not None:
            self._client.close()
            self._client = None

    def _fetch(self, operation: str, params: Mapping[str, str]) -> bytes:
        url = self.url(operation, params)

        def once() -> bytes:
            wait = self._last + self.rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last = time.monotonic()
            self.counts.fetched += 1
            self.requested.append(url)
            try:
                response = self._http().get(url)
            except (httpx.TimeoutException, httpx.TransportError) as error:
                raise _Retry(f"{type(error).__name__}") from None
            if response.status_code >= 500:
                raise _Retry(f"HTTP {response.status_code}")
            if response.status_code == 403:
                raise ServiceError(
                    f"{self.site} refused {operation} (403 Forbidden): a bot filter may be blocking automated"
                    " requests; ask the council to allow this importer, or try again later"
                )
            if response.status_code == 404:
                raise ServiceError(
                    f"no web service answered at {url} (404 Not Found): the council may have switched it off"
                    " or moved its address; check --site"
                )
            if response.status_code >= 400:
                raise ServiceError(f"{self.site} answered {operation} with HTTP {response.status_code}")
            return response.content

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.attempts),
            wait=lambda state: self.backoff(state.attempt_number),
            retry=tenacity.retry_if_exception_type(_Retry),
            reraise=True,
        )
        try:
            result: bytes = retrying(once)
            return result
        except _Retry as error:
            raise ServiceError(
                f"{self.site} did not answer {operation} after {self.attempts} tries (last: {error})"
            ) from None

    def _parse(self, body: bytes, operation: str) -> Element:
        start = body.lstrip()[:200].lower()
        if not start.startswith(b"<"):
            raise ServiceError(f"the reply to {operation} is not XML (it begins {body[:40]!r})")
        if start.startswith((b"<!doctype html", b"<html")):
            raise ServiceError(f"the reply to {operation} is a web page, not the service's XML: check --site")
        try:
            root: Element = SafeXML.fromstring(body)
        except Exception as error:  # defusedxml raises several kinds for hostile or broken XML
            raise ServiceError(f"the reply to {operation} is not safe, readable XML: {error}") from None
        return root
