"""The editor's page, /admin/: Decap CMS served from the site itself, kept away from residents.

Decap CMS and the YAML library its record format uses come from the npm registry at
the versions package-lock.json pins (``npm ci`` checks their hashes) and are copied
into the built site; the page asks no other host for anything. It is no page of the
archive: not in the navigation, the sitemap, the search index or the address
manifest, and marked ``noindex``. Its Content-Security-Policy is its own, and allows
what Decap CMS needs and no more (see ``POLICY``).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from generator import cms

FOLDER = "admin"
# What each vendored package publishes, from its folder under node_modules/, to the site's admin/vendor/.
VENDORED = {
    "decap-cms": ("dist", re.compile(r"^(?:(?:\d+\.)?decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt)$")),
    "yaml": ("browser", re.compile(r"\.js$")),
}
LICENSES = {"yaml": "LICENSE"}

# Measured in Chromium on the editor's views, signed in to decap-server (tests/test_cms_browser.py fails
# on any violation):
# - scripts only from the site, with 'unsafe-eval': Decap CMS checks its configuration with ajv, which
#   compiles the schema into a function; without it the editor stops at "Error loading the CMS configuration";
# - styles need 'unsafe-inline': Decap CMS's components write their styles into <style> elements
#   as they render (emotion), so no hash can be known in advance;
# - images: its icons are data: and blob: addresses; the signed-in clerk's GitHub picture;
# - connections: GitHub's API for the records, and decap-server on this computer for local editing.
POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https://avatars.githubusercontent.com",
        "font-src 'self' data:",
        "connect-src 'self' https://api.github.com http://localhost:8081",
        "base-uri 'none'",
        "form-action 'none'",
        "object-src 'none'",
    ]
)


class AdminUnavailable(Exception):
    """The npm packages the editor is built from are not installed."""


def github_repo(repo_url: str | None) -> str:
    """``owner/name`` of a GitHub repository address, or "" if it is not one."""
    found = re.match(r"^https://github\.com/([^/]+/[^/]+?)(?:\.git)?/?$", repo_url or "")
    return found.group(1) if found else ""


def page(site_name: str, repo: str, branch: str = "main", auth_url: str = "") -> str:
    """The editor's page: the theme of Decap CMS, the archive's record format, the site's own repository."""
    metas = [("minutes-repo", repo), ("minutes-branch", branch)] + ([("minutes-auth", auth_url)] if auth_url else [])
    named = "\n".join(f'<meta name="{n}" content="{html.escape(v)}">' for n, v in metas)
    return f"""<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="robots" content="noindex, nofollow">
{named}
<title>Editor · {html.escape(site_name)}</title>
<link rel="stylesheet" href="minutes-cms.css">
</head>
<body>
<noscript>The editor needs JavaScript. Records can also be edited as YAML files: see the site's Editing page.</noscript>
<script src="setup.js"></script>
<script src="vendor/decap-cms/decap-cms.js"></script>
<script type="module" src="minutes-cms.js"></script>
</body>
</html>
"""


def vendored(node_modules: Path) -> dict[str, Path]:
    """Each vendored file's path in the site, and where it is under node_modules."""
    files: dict[str, Path] = {}
    for package, (folder, wanted) in VENDORED.items():
        source = node_modules / package / folder
        if not source.is_dir():
            raise AdminUnavailable(
                f"{source} is missing: the editor at /{FOLDER}/ is built from the npm packages package-lock.json"
                " pins; run `npm ci` (make site and make serve do)"
            )
        for path in sorted(source.rglob("*")):
            if path.is_file() and wanted.search(path.name):
                files[f"{FOLDER}/vendor/{package}/{path.relative_to(source).as_posix()}"] = path
        if package in LICENSES:
            files[f"{FOLDER}/vendor/{package}/{LICENSES[package]}"] = node_modules / package / LICENSES[package]
    return files


def generated(site_name: str, repo_url: str | None, auth_url: str = "") -> dict[str, str]:
    """The editor's page and its configuration, by their paths in the site."""
    return {
        f"{FOLDER}/index.html": page(site_name, github_repo(repo_url), auth_url=auth_url),
        f"{FOLDER}/config.yml": cms.rendered(),
    }
