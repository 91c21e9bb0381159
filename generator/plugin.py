"""The MkDocs plugin: the only module that knows about MkDocs.

On every build (and every live-reload rebuild) it reads the content folder afresh,
refuses to build if any record has an error, and hands the rendered pages to
MkDocs as virtual files, so no generated Markdown is ever written to disk.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from mkdocs.config import config_options
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from generator import addresses
from generator.archive import Archive
from generator.csp import with_policy
from generator.load import load_content
from generator.outputs import every_output
from generator.registers import Registers
from generator.render import render_site
from generator.sanitise import clean_page
from generator.schema import Redirect
from generator.search import SearchIndexError, records, write_index
from generator.theme_markup import corrected
from generator.urls import meeting_page

log = logging.getLogger("mkdocs.plugins.minutes")


class MinutesConfig(Config):
    """Options under ``plugins: - minutes:`` in mkdocs.yml."""

    content_dir = config_options.Type(str, default="content")


class MinutesPlugin(BasePlugin[MinutesConfig]):
    """Turns the YAML records under ``content_dir`` into the archive's pages."""

    # The archive of the build under way, kept from on_files for on_post_build.
    _archive: Archive
    # Whether this is `mkdocs serve`, whose live-reload script is inline and unhashed.
    _serving = False
    # The navigation page lit up as the section of the page being rendered, if any.
    _section: Page | None = None

    def _root(self, config: MkDocsConfig) -> Path:
        return Path(config.config_file_path).resolve().parent

    def _content_dir(self, config: MkDocsConfig) -> Path:
        return self._root(config) / self.config.content_dir

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        """Add a virtual page for every meeting and index; point edit links at sources."""
        root = self._root(config)
        content = load_content(self._content_dir(config), root)
        for warning in (p for p in content.problems if p.severity == "warning"):
            log.info(str(warning))
        if content.errors:
            raise PluginError(
                f"{len(content.errors)} problem(s) in the archive's records; nothing was built:\n"
                + "\n".join(str(p) for p in content.errors)
            )
        archive = self._archive = Archive(
            content.committees,
            [(m.meeting, m.source) for m in content.meetings],
            content.topics,
            content.glossary,
            content.people,
        )
        sources = {meeting_page(e.meeting): e.source for e in archive.entries}
        docs_dir = Path(config.docs_dir).resolve().relative_to(root).as_posix()
        for file in files.documentation_pages():
            # Hand-written pages live in docs_dir, which need not be docs/ at the root.
            file.edit_uri = f"{docs_dir}/{file.src_uri}"
        site_url = (config.site_url or "/").rstrip("/") + "/"
        data_files = every_output(archive, site_url, config.site_name)
        for path, data in data_files.items():
            files.append(File.generated(config, path, content=data))
        lists = Registers.of(archive)
        # The registers' browser indexes: machinery for the filters, not addresses anyone keeps.
        for path, data in lists.index_files().items():
            files.append(File.generated(config, path, content=data))
        for path, markdown in render_site(archive, config.site_name, site_url, lists).items():
            if files.get_file_from_path(path) is not None:
                raise PluginError(f"{config.docs_dir}/{path} clashes with a page the archive generates")
            file = File.generated(config, path, content=markdown)
            file.edit_uri = sources.get(path)
            files.append(file)
        self._keep_addresses(files, data_files, content.redirects, config)
        return files

    def _keep_addresses(
        self, files: Files, data_files: dict[str, bytes], redirects: list[Redirect], config: MkDocsConfig
    ) -> None:
        """Fail if a published address would disappear; publish the redirects."""
        manifest = addresses.read_manifest(self._content_dir(config))
        built = addresses.published((f.src_uri for f in files.documentation_pages()), data_files)
        problems = addresses.check(manifest, built, redirects)
        if problems:
            raise PluginError("published addresses would break; nothing was built:\n" + "\n".join(problems))
        new = built - manifest
        if new:
            log.info(f"{len(new)} new address(es) are not in content/addresses.txt yet: run `minutes addresses`")
        for redirect in redirects:
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
        """Sanitise every page body, generated or hand-written, whatever its text holds."""
        return clean_page(html)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """Note whether the site is built for `mkdocs serve`."""
        self._serving = command == "serve"

    def _secured(self, html: str, content: str = "") -> str:
        # MkDocs' live preview adds an inline script to every page as it serves it, which
        # the policy would block: the preview goes without one, the published site never does.
        return html if self._serving else with_policy(html, content)

    def on_post_page(self, output: str, /, *, page: Page, config: MkDocsConfig) -> str:
        """Correct the theme's invalid markup in every finished page and give it its Content-Security-Policy."""
        self._release_section()
        return self._secured(corrected(output), page.content or "")

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        """The same for the theme's page templates (404.html); sitemap.xml is no page."""
        return self._secured(corrected(output_content)) if template_name.endswith(".html") else output_content

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        """Index every item of the archive for search, into the built site."""
        try:
            write_index(list(records(self._archive)), Path(config.site_dir))
        except SearchIndexError as error:
            raise PluginError(str(error)) from None

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        """Rebuild the live preview when a record or registry changes."""
        server.watch(str(self._content_dir(config)))
        return server
