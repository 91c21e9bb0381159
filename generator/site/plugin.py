"""The MkDocs plugin: hands the archive's pages and files to MkDocs, and post-processes its HTML.

On every build (and every live-reload rebuild) it calls ``generator.build`` on the
content folder, refuses to build if any record has an error, and hands the pages
to MkDocs as virtual files, so no generated Markdown is ever written to disk. It
does nothing else of its own: what the pages say, and how a finished page is made
safe, are plain functions it calls.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils.meta import get_data

from generator import addresses
from generator.build import InvalidRecords, Site, build_to_keep, preview
from generator.cache import BuildCache
from generator.collector import fewer_full_collections, skip_the_last_collection
from generator.sanitise import clean_page
from generator.search import SearchIndexError, set_aside, write_index
from generator.site import admin
from generator.site.background import InBackground, write_files
from generator.site.converting import Converter, can_convert_apart, hand_over
from generator.site.csp import with_policy
from generator.site.page_cache import Finished, PageCache, config_fingerprint
from generator.site.staging import FollowUp, LatestOnly, StagedFiles, staging_for
from generator.site.theme_markup import without_checkbox_autocomplete

log = logging.getLogger("mkdocs.plugins.minutes")
# The theme template a page from the cache is rendered with: its finished HTML, as it is (overrides/).
FINISHED_TEMPLATE = "minutes-finished.html"
# A link MkDocs could not resolve to a page keeps its Markdown address.
_UNRESOLVED_LINK = re.compile(r'href="[^"#]*\.md(?:#[^"]*)?"')


class _WarningCount(logging.Handler):
    """Counts MkDocs' warnings, so that a page whose conversion warned is never cached."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class MinutesConfig(Config):
    """Options under ``plugins: - minutes:`` in mkdocs.yml."""

    content_dir = config_options.Dir(exists=True, default="content")
    """The content folder: committees.yml, the other registries, meetings/ and addresses.txt.
    Relative to mkdocs.yml; it must exist."""
    cache_dir = config_options.Optional(config_options.Dir(exists=False))
    """Where the build cache is kept (relative to mkdocs.yml), or nothing for no cache. Safe to
    delete at any time: the next build is a cold one and makes the same site."""
    convert_apart = config_options.Type(bool, default=True)
    """Whether `mkdocs build` converts about half the generated pages in a second process, beside
    MkDocs' own conversion of the rest (the same pages either way; false: MkDocs converts them all)."""
    admin_auth_url = config_options.Optional(config_options.URL())
    """The editor's GitHub sign-in service (Decap CMS's ``base_url``): Netlify's when not given.
    See the README's "The editor at /admin/"."""


def _converted_elsewhere(page: Page) -> str:
    """For a page whose HTML comes from elsewhere (the cache, the second process): no Markdown to convert.

    MkDocs would still make the page a Markdown converter, setting up every extension
    again (half a millisecond a page, 2 s of a publish at 5,000 meetings), to convert no
    text; the page's own render is replaced by what that conversion gives, the same to
    the byte, and what it needs comes in on_page_content.
    """

    def render(config: MkDocsConfig, files: Files) -> None:
        page.content = ""
        page.toc = get_toc([])
        page._title_from_render = None
        page.present_anchor_ids = set()
        if logging.getLogger("mkdocs.structure.pages").getEffectiveLevel() > logging.DEBUG:  # as Page.render does
            page.links_to_anchors = {}

    page.render = render  # type: ignore[method-assign]
    return ""


class MinutesPlugin(BasePlugin[MinutesConfig]):
    """Turns the YAML records under ``content_dir`` into the archive's pages."""

    # What the build under way publishes, kept from on_files for on_post_build.
    _site: Site
    # Whether this is `mkdocs serve`, whose live-reload script is inline and unhashed.
    _serving = False
    # Under `mkdocs serve --dirty` (`make serve`), the generated files kept on disk between rebuilds.
    _staging: StagedFiles | None = None
    # The preview's search index, written in the background after each rebuild's pages.
    _preview_index: LatestOnly
    # Under `make serve`, the whole rebuild that follows each partial one (see generator.build.preview).
    _follow_up: FollowUp | None = None
    # The navigation page lit up as the section of the page being rendered, if any.
    _section: Page | None = None
    # This build's cache, the finished pages it may reuse, and what it knows of each page.
    _build_cache: BuildCache = BuildCache(None)
    _pages: PageCache | None = None
    # The generated pages a second process converts, and the keys worked out to choose them.
    _converter: Converter | None = None
    _early_keys: dict[str, str]
    _keys: dict[str, tuple[str, int]]
    _finished: dict[str, Finished]
    _warnings: _WarningCount | None = None
    # The search index, and the registers' browser indexes, written in the background while MkDocs
    # converts the pages.
    _indexing: InBackground | None = None
    _writing: InBackground | None = None
    # What keeps this build's site in the build cache, until the search index's thread does it.
    _keep_site: Callable[[], None] | None = None
    # A partial rebuild's pages whose links point at pages only the whole rebuild makes.
    _unresolved: list[str]
    # The collector's settings for a build that runs once and ends (any but `mkdocs serve`),
    # undone when it ends.
    _collector: contextlib.ExitStack

    def __init__(self) -> None:
        super().__init__()
        self._preview_index = LatestOnly()
        self._collector = contextlib.ExitStack()

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).resolve().parent

    def _content_dir(self) -> Path:
        # Dir() has resolved the option against mkdocs.yml's folder and checked it exists.
        return Path(self.config.content_dir)

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add a virtual page for every meeting and index; point edit links at sources."""
        root = self._root(config)
        site_url = (config.site_url or "/").rstrip("/") + "/"
        self._build_cache = self._cache_for_this_build()
        self._unresolved = []
        try:
            site = self._site = self._make_site(config, site_url, root)
        except InvalidRecords as invalid:
            self._log_warnings(invalid.problems)
            raise PluginError(f"{invalid}:\n" + "\n".join(str(p) for p in invalid.errors)) from None
        self._log_warnings(site.warnings)
        docs_dir = Path(config.docs_dir).resolve().relative_to(root).as_posix()
        for file in files.documentation_pages():
            # Hand-written pages live in docs_dir, which need not be docs/ at the root.
            file.edit_uri = f"{docs_dir}/{file.src_uri}"
        if self._staging is not None:
            self._staging.begin()
        generated = {**site.data_files, **site.index_files}
        if not self._serving:
            # The registers' browser indexes are thousands of small files that no page links to, so
            # MkDocs need not know of them: written here, in a thread beside MkDocs' work, rather than
            # by MkDocs one after another (at 5,000 meetings, 7,700 files and 6 s of a publish). MkDocs
            # has emptied the site's folder already. The preview, whose rebuilds follow one another,
            # leaves them to MkDocs.
            generated = site.data_files
            writing = functools.partial(write_files, Path(config.site_dir), site.index_files)
            self._writing = InBackground("register indexes", writing)
        for path, data in generated.items():
            files.append(self._generated(config, path, data))
        for path, markdown in site.pages.items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{config.docs_dir}/{path} clashes with a page the archive generates")
            file = self._generated(config, path, markdown)
            file.edit_uri = site.record_of(path)
            files.append(file)
        if self._staging is not None:
            log.info(self._staging.end())
        self._keep_addresses(files, site, config)
        self._add_editor(files, config)
        self._start_page_cache(files, config)
        return files

    def on_nav(self, nav: Navigation, /, *, config: MkDocsConfig, files: Files) -> Navigation:
        """Start converting the later generated pages in a second process, then the search index in a
        third, both beside MkDocs' own conversion (in that order: the worker is forked with no thread
        under way)."""
        self._early_keys = {}
        self._converter = Converter(config, files, self._to_convert(files, config))
        if not self._serving:
            self._start_search_index(self._site, Path(config.site_dir))
        return nav

    def _to_convert(self, files: Files, config: MkDocsConfig) -> Iterator[str]:
        """The generated pages MkDocs would convert in this build (not finished in the cache), from its last."""
        if self._serving or not self.config.convert_apart or not can_convert_apart(config, self):
            return
        for file in reversed(files.documentation_pages()):
            if file.src_uri not in self._site.pages:
                continue
            if self._pages is not None:
                # The key on_page_markdown would work out, from the page as MkDocs will read it.
                markdown, meta = get_data(file.content_string)
                key = self._early_keys[file.src_uri] = self._pages.key(file.src_uri, markdown, meta, file.edit_uri)
                if self._pages.has(key):
                    continue
            yield file.src_uri

    def _builds_partly(self) -> bool:
        """Whether this build is a preview's partial one: a save since the last whole rebuild, which follows it."""
        return self._follow_up is not None and hasattr(self, "_site") and not self._follow_up.wanted

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        """A partial rebuild's pages may link to pages only the whole one makes (a new owner's page): not a
        problem of the archive, so not one that stops the strict preview. The whole rebuild checks every link."""
        if self._builds_partly():
            config.validation.links.not_found = logging.INFO
        return config

    def _make_site(self, config: MkDocsConfig, site_url: str, root: Path) -> Site:
        """The whole site; in the preview, after a save, first the meetings' pages alone (a partial site)."""
        content, pages, cache = self._content_dir(), Path(config.docs_dir), self._build_cache
        if self._builds_partly():
            return preview(content, config.site_name, self._site, site_url, root=root, pages_dir=pages, cache=cache)
        if self._follow_up is not None:
            self._follow_up.wanted = False
        site, keep = build_to_keep(content, config.site_name, site_url, root=root, pages_dir=pages, cache=cache)
        if self._serving:
            keep()  # at once: the preview's cache keeps the site in memory
            self._keep_site = None
        else:
            self._keep_site = keep  # beside MkDocs' conversion, before the search index (on_nav)
        return site

    def _add_editor(self, files: Files, config: MkDocsConfig) -> None:
        """The clerks' editor at /admin/, from the npm packages the project pins (not a page of the archive)."""
        try:
            vendored = admin.vendored(self._root(config) / "node_modules")
        except admin.AdminUnavailable as missing:
            raise PluginError(str(missing)) from None
        for path, source in vendored.items():
            files.append(File.generated(config, path, abs_src_path=str(source)))
        for path, text in admin.generated(config.site_name, config.repo_url, self.config.admin_auth_url or "").items():
            files.append(File.generated(config, path, content=text))

    def _cache_for_this_build(self) -> BuildCache:
        """The build cache; the preview keeps one for all its rebuilds, which holds its records in memory too."""
        folder = self._cache_dir()
        if not self._serving:
            return BuildCache(folder)
        if not self._build_cache.remembers or self._build_cache.folder != folder:
            self._build_cache = BuildCache(folder, remember=True)
        self._build_cache.begin()
        return self._build_cache

    def _generated(self, config: MkDocsConfig, path: str, content: str | bytes) -> File:
        if self._staging is not None:
            return self._staging.file(config, path, content)
        return File.generated(config, path, content=content)

    def _start_search_index(self, site: Site, site_dir: Path) -> None:
        """Index the search records while MkDocs converts the pages: Pagefind is a process of its own,
        on another core. MkDocs has cleaned the site folder before this event, so nothing deletes it."""
        keep, self._keep_site = self._keep_site, None

        def index() -> None:
            if keep is not None:
                keep()  # the site into the build cache, for a next build with nothing changed
            write_index(site.search_records, site_dir, self._cache_dir())

        self._indexing = InBackground("search index", index)

    def _index_preview(self, site: Site, site_dir: Path) -> None:
        """The preview's search index, written after its pages are shown: a failure is said at once."""
        try:
            write_index(site.search_records, site_dir, self._cache_dir())
        except Exception as error:  # noqa: BLE001 - the pages are shown already; the next save tries again
            log.error(f"search in the preview is out of date: {error}")

    def _cache_dir(self) -> Path | None:
        return Path(self.config.cache_dir) if self.config.cache_dir else None

    def _start_page_cache(self, files: Files, config: MkDocsConfig) -> None:
        """Make ready to reuse the pages an earlier build finished, if there is a cache."""
        self._keys, self._finished = {}, {}
        if not self._build_cache:
            self._pages = None
            return
        if self._warnings is None:
            self._warnings = _WarningCount()
            logging.getLogger("mkdocs").addHandler(self._warnings)
        # The generated pages' Markdown is in hand (the preview's staged copies need not be read back).
        sources = {f.src_uri: self._site.pages.get(f.src_uri) or f.content_string for f in files.documentation_pages()}
        theme_dir = Path(config.theme.custom_dir) if config.theme.custom_dir else None
        fingerprint = config_fingerprint(config, theme_dir, self._serving)
        self._pages = PageCache(self._build_cache, fingerprint, sources)

    def on_page_markdown(self, markdown: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """A page finished by an earlier build from the same inputs is not converted again: nothing to convert."""
        src_uri = page.file.src_uri
        # A page the second process converts: nothing for MkDocs to convert either.
        apart = self._converter is not None and self._converter.claims(src_uri)
        if self._pages is None:
            return _converted_elsewhere(page) if apart else markdown
        key = self._early_keys.pop(src_uri, None) or self._pages.key(src_uri, markdown, page.meta, page.file.edit_uri)
        finished = self._pages.get(key)
        if finished is not None:
            self._finished[src_uri] = finished
            return _converted_elsewhere(page)
        self._keys[src_uri] = (key, self._warnings.count if self._warnings else 0)
        return _converted_elsewhere(page) if apart else markdown

    @staticmethod
    def _log_warnings(problems: list[Any]) -> None:
        for warning in (p for p in problems if p.severity == "warning"):
            log.info(str(warning))

    def _keep_addresses(self, files: Files, site: Site, config: MkDocsConfig) -> None:
        """Fail if a published address would disappear; publish the redirects."""
        manifest = addresses.read_manifest(self._content_dir())
        problems = addresses.check(manifest, site.addresses, site.redirects)
        if problems:
            raise PluginError("published addresses would break; nothing was built:\n" + "\n".join(problems))
        new = site.addresses - manifest
        if new:
            log.info(f"{len(new)} new address(es) are not in content/addresses.txt yet: run `minutes addresses`")
        for redirect in site.redirects:
            page = self._secured(addresses.redirect_page(redirect.old, redirect.new))
            files.append(File.generated(config, redirect.old.rstrip("/") + "/index.html", content=page))

    def on_page_context(self, context: Any, /, *, page: Page, config: MkDocsConfig, nav: Any) -> Any:
        """Light up the navigation tab of the section a generated page belongs to (its front matter's ``section``).

        Generated pages are not in the navigation, so the theme would light no tab;
        the section's page is marked active while this page is rendered, and let go after.
        """
        section = page.meta.get("section")
        self._release_section()
        self._section = next((p for p in nav.pages if section and p.file.src_uri == section and p is not page), None)
        if self._section is not None:
            self._section.active = True
        return context

    def _release_section(self) -> None:
        if self._section is not None:
            self._section.active = False
            self._section = None

    def on_page_content(self, html: str, /, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        """Sanitise every page body, generated or hand-written, whatever its text holds.

        A page from the cache is its finished HTML already: it keeps the anchors it
        had, for other pages' links, and goes through a template that adds nothing.
        """
        finished = self._finished.get(page.file.src_uri)
        if finished is not None:
            page.present_anchor_ids = set(finished.anchors)
            page.meta["template"] = FINISHED_TEMPLATE
            return finished.html
        if self._converter is not None and page.file.src_uri in self._converter:
            return hand_over(self._converter.take(page.file.src_uri), page, files)  # sanitised already
        return clean_page(html)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether the site is built for `mkdocs serve`, and stage the preview's files if it is dirty."""
        self._serving = command == "serve"
        self._staging = staging_for(command, dirty)
        self._follow_up = FollowUp() if self._staging is not None else None
        # One build, and the process ends: its objects live to the end, and the collector is told so.
        if not self._serving:
            self._collector.enter_context(fewer_full_collections())

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        """Let the preview's last search index finish, unless the build is dirty: any other cleans its folder.

        Before MkDocs empties the site's folder, the search index is set aside there, so
        that the bundles this build's index shares with it are moved back, not copied again
        (at 5,000 meetings, 60,000 files deleted and linked again by every build).
        """
        if self._staging is None:
            self._preview_index.wait()
            set_aside(Path(config.site_dir))

    def on_shutdown(self) -> None:
        """Finish the preview's search index and delete its staged files; after one build, spare the
        process the collector's walk over every object as it exits."""
        self._preview_index.wait()
        if self._staging is not None:
            self._staging.remove()
        if self._follow_up is not None:
            self._follow_up.remove()
        self._collector.close()
        if not self._serving:
            skip_the_last_collection()

    def _secured(self, html: str, content: str = "") -> str:
        # MkDocs' live preview adds an inline script to every page as it serves it, which
        # the policy would block: the preview goes without one, the published site never does.
        return html if self._serving else with_policy(html, content)

    # Last of all plugins: the policy hashes the page's inline scripts, so none may be added after it.
    @event_priority(-100)
    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Correct the theme's invalid markup in every finished page and give it its Content-Security-Policy."""
        self._release_section()
        # Finished pages from the cache too: one kept from an earlier partial rebuild keeps its link.
        if self._site.partial and _UNRESOLVED_LINK.search(output):
            self._unresolved.append(page.file.abs_dest_path)
        if page.file.src_uri in self._finished:
            return output
        secured = self._secured(without_checkbox_autocomplete(output), page.content or "")
        key, warnings_before = self._keys.get(page.file.src_uri, ("", 0))
        # A page that warned as it was converted is not kept: the next build warns again.
        if self._pages is not None and key and self._warnings and self._warnings.count == warnings_before:
            self._pages.put(key, Finished(secured, frozenset(page.present_anchor_ids or ())))
        return secured

    @event_priority(-100)
    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """The same for the theme's page templates (404.html); sitemap.xml is no page."""
        if not template_name.endswith(".html"):
            return output_content
        return self._secured(without_checkbox_autocomplete(output_content))

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index every item of the archive for search, into the built site.

        The preview does not wait for the index: the page the editor saved is shown as
        soon as it is built, and search catches up in the background.
        """
        if self._site.partial and self._follow_up is not None:
            # The saved meeting's pages are built: the browsers reload, and the whole rebuild follows.
            # That rebuild is dirty, and converts only pages whose Markdown is newer than their HTML:
            # a page left with a link it could not resolve is made older, so that its link is resolved.
            for built in self._unresolved:
                os.utime(built, (0, 0))
            self._follow_up.request()
        elif self._serving:
            self._preview_index.request(functools.partial(self._index_preview, self._site, Path(config.site_dir)))
        else:
            self._finish_indexing()
        # A dirty preview converts only the pages that changed: the others' entries are still good.
        if self._pages is not None and self._staging is None:
            self._pages.sweep()
            log.info(f"{len(self._finished)} of {len(self._finished) + len(self._keys)} pages came from the build cache")
        self._stop_counting()
        self._let_go_of_cache()

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        """Every page is converted by now: the second process is done with."""
        if self._converter is not None and self._converter.converted:
            log.info(f"{self._converter.converted} generated pages were converted in a second process")
        self._stop_converting()
        return env

    def on_build_error(self, *, error: Exception) -> None:
        """Leave MkDocs' logging as it was, and no index half written, even when the build fails."""
        self._stop_counting()
        self._stop_converting()
        for work in (self._writing, self._indexing):
            if work is not None:
                with contextlib.suppress(BaseException):  # the build's own error is the one reported
                    work.finish()
        self._writing = self._indexing = None
        self._let_go_of_cache()

    def _stop_converting(self) -> None:
        if self._converter is not None:
            self._converter.close()
            self._converter = None

    def _let_go_of_cache(self) -> None:
        # A build's cache is closed when it ends, so that its folder is whole for CI to keep; the
        # preview's stays open for the next save (its objects are kept in memory).
        if not self._serving:
            self._build_cache.close()

    def _finish_indexing(self) -> None:
        """Wait for the search index and the register indexes under way, if any, and fail the build if
        either failed."""
        writing, self._writing = self._writing, None
        if writing is not None:
            try:
                writing.finish()
            except OSError as error:
                raise PluginError(f"the registers' indexes could not be written into the site: {error}") from None
        indexing, self._indexing = self._indexing, None
        if indexing is None:
            return
        try:
            indexing.finish()
        except SearchIndexError as error:
            raise PluginError(str(error)) from None

    def _stop_counting(self) -> None:
        if self._warnings is not None:
            logging.getLogger("mkdocs").removeHandler(self._warnings)
            self._warnings = None

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuild the live preview when a record or registry changes."""
        server.watch(str(self._content_dir()))
        if self._follow_up is not None:
            server.watch(str(self._follow_up.folder))
        return server
