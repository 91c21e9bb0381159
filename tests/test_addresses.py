"""Permanent addresses: the manifest check, redirects in one hop, and the real manifest."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.addresses import check, kept_addresses, read_manifest
from generator.schema import Redirect
from tests.fixtures import FIXTURE_ARCHIVE, ROOT, build_site, run_build

MOVE = Redirect(old="meetings/2021-06-16-board/", new="meetings/2021-06-17-board/")


def test_a_removed_address_fails_and_a_redirect_mends_it() -> None:
    manifest = {"meetings/2021-06-16-board/", "years/2021/"}
    now = {"meetings/2021-06-17-board/", "years/2021/"}
    assert check(manifest, now, []) == [
        "'meetings/2021-06-16-board/' was published but this build has no page there: add a redirect from it"
        " in content/redirects.yml (from: old address, to: new address)"
    ]
    assert check(manifest, now, [MOVE]) == []


def test_redirects_resolve_in_one_hop_to_a_published_address() -> None:
    chain = [MOVE, Redirect(old="meetings/2021-06-17-board/", new="meetings/2021-06-18-board/")]
    problems = check(set(), {"meetings/2021-06-18-board/"}, chain)
    assert problems[0] == (
        "the redirect from 'meetings/2021-06-16-board/' goes to 'meetings/2021-06-17-board/', itself redirected:"
        " point it at the final address"
    )
    assert check(set(), set(), [MOVE]) == [
        "the redirect from 'meetings/2021-06-16-board/' goes to 'meetings/2021-06-17-board/',"
        " which this build does not publish"
    ]


def test_home_and_data_files_are_addresses() -> None:
    assert kept_addresses(["index.md", "meetings/x.md"], ["feeds/meetings.xml"]) == {
        "./",
        "meetings/x/",
        "feeds/meetings.xml",
    }


def fixture_with(tmp_path: Path, manifest: str, redirects: str = "") -> Path:
    content = tmp_path / "content"
    shutil.copytree(FIXTURE_ARCHIVE, content)
    (content / "addresses.txt").write_text(manifest, encoding="utf-8")
    if redirects:
        (content / "redirects.yml").write_text(redirects, encoding="utf-8")
    return content


@pytest.mark.site
def test_the_build_fails_when_a_published_meeting_disappears(tmp_path: Path) -> None:
    content = fixture_with(tmp_path, "meetings/2021-06-16-board/\nmeetings/2021-06-17-board/\n")
    result, _ = run_build(content, tmp_path / "build")
    assert result.returncode != 0
    assert "'meetings/2021-06-16-board/' was published but this build has no page there" in result.stderr


@pytest.mark.site
def test_the_build_publishes_a_redirect_page(tmp_path: Path) -> None:
    content = fixture_with(
        tmp_path,
        "meetings/2021-06-16-board/\n",
        "redirects:\n  - from: meetings/2021-06-16-board/\n    to: meetings/2021-06-17-board/\n",
    )
    site = build_site(content, tmp_path / "build")
    page = (site / "meetings" / "2021-06-16-board" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../2021-06-17-board/">' in page
    assert (site / "meetings" / "2021-06-17-board" / "index.html").is_file()


def test_the_committed_manifest_lists_every_published_address(real_site: Path) -> None:
    pages = {
        str(p.parent.relative_to(real_site)) + "/" if p.parent != real_site else "./"
        for p in real_site.rglob("index.html")
        if not p.parent.relative_to(real_site).parts
        # Machinery, and the clerks' editor: no address residents are promised.
        or p.parent.relative_to(real_site).parts[0] not in {"assets", "pagefind", "admin"}
    }
    manifest = read_manifest(ROOT / "content")
    assert pages <= manifest, sorted(pages - manifest)


def test_a_long_years_further_pages_are_not_addresses_to_keep() -> None:
    from generator.addresses import kept_addresses

    kept = kept_addresses(["decisions.md", "decisions/2021.md", "decisions/2021/2.md", "topics/vrap/2021/3.md"], [])
    assert kept == {"decisions/", "decisions/2021/"}
