"""The search index on disk: chronological buckets, one Pagefind bundle each, and their cache."""

from __future__ import annotations

import dataclasses
import gzip
import json
import re
import shutil
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from generator import search
from generator.search import SearchIndexError, SearchRecord, buckets, records, set_aside, write_index
from tests.fixtures import ROOT, archive_of, serve

RUN = subprocess.run
LINK_OR_COPY = search._link_or_copy


def meeting(date: str, slug: str, items: int = 2) -> list[SearchRecord]:
    """A meeting's records as records() makes them: the meeting's own, then one per item."""
    page = f"meetings/{date}-{slug}/"
    facts = {"date": date, "committee": slug, "minute": ""}
    sort = {"date": date}
    own = SearchRecord(url=page, content=f"{slug} on {date}", meta={"title": slug, **facts}, sort=sort)
    parts = [
        SearchRecord(url=f"{page}#item-{n}", content=f"item {n}", meta={"title": f"Item {n}", **facts}, sort=sort)
        for n in range(1, items + 1)
    ]
    return [own, *parts]


def undated(name: str) -> SearchRecord:
    """A topic or glossary record: no date to sort by."""
    return SearchRecord(url=f"topics/{name}/", content=name, meta={"title": f"Topic: {name}"})


def archive(*years: tuple[int, int]) -> list[SearchRecord]:
    """Records of `count` meetings in each `year`, oldest first, then a topic and a glossary term."""
    found: list[SearchRecord] = []
    for year, count in years:
        for n in range(count):
            found += meeting(f"{year}-{n % 12 + 1:02}-{n // 12 + 1:02}", f"c{n}")
    return [*found, undated("vrap"), undated("asb")]


def years_of(bucket: list[SearchRecord]) -> list[int]:
    return sorted({int(r.sort["date"][:4]) for r in bucket if r.sort})


def pages_of(bucket: list[SearchRecord]) -> set[str]:
    return {r.url.partition("#")[0] for r in bucket if r.sort}


# --- Buckets: no Pagefind needed -------------------------------------------------


def test_a_small_archive_is_one_bucket_in_its_own_order() -> None:
    found = archive((2017, 1), (2021, 1))
    assert buckets(found) == [found]
    assert buckets([]) == [[]]


def test_whole_years_fill_buckets_up_to_the_limit_oldest_first(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "BUCKET_MEETINGS", 3)
    found = archive((2019, 2), (2020, 2), (2021, 1), (2022, 5), (2023, 1))
    split = buckets(found)
    # 2019 and 2020 together would be 4; 2022 alone is over the limit, so it is a bucket of its own.
    assert [years_of(b) for b in split] == [[2019], [2020, 2021], [2022], [2023]]
    assert [len(pages_of(b)) for b in split] == [2, 3, 5, 1]
    # Every record is in exactly one bucket, in its original order there.
    assert sorted(r.url for b in split for r in b) == sorted(r.url for r in found)
    for bucket in split:
        assert bucket == [r for r in found if r in bucket]
    # A meeting's own record and its items' records share its bucket.
    for bucket in split:
        for page in pages_of(bucket):
            assert {r.url for r in found if r.url.startswith(page)} <= {r.url for r in bucket}
    # Topics and glossary terms, which have no date, go to the newest bucket.
    assert [r.url for r in split[-1] if not r.sort] == ["topics/vrap/", "topics/asb/"]
    assert all(r.sort for b in split[:-1] for r in b)


def test_meetings_added_to_the_newest_year_change_only_the_newest_bucket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "BUCKET_MEETINGS", 4)
    before = buckets(archive((2018, 3), (2019, 1), (2020, 2), (2021, 1)))
    after = buckets(archive((2018, 3), (2019, 1), (2020, 2), (2021, 2)))
    assert [years_of(b) for b in before] == [[2018, 2019], [2020, 2021]]
    assert after[:-1] == before[:-1]
    assert len(pages_of(after[-1])) == len(pages_of(before[-1])) + 1
    # A year that outgrows the newest bucket starts the next one; the older buckets stay as they were.
    grown = buckets(archive((2018, 3), (2019, 1), (2020, 2), (2021, 2), (2022, 1)))
    assert [years_of(b) for b in grown] == [[2018, 2019], [2020, 2021], [2022]]
    assert grown[:2] == [after[0], after[1][:-2]]  # the same records, less the topics that moved on


def test_in_a_large_archive_the_newest_year_is_a_bucket_of_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search, "BUCKET_MEETINGS", 10)
    monkeypatch.setattr(search, "NEWEST_SHARES_UP_TO", 3)
    # Three meetings before it: the newest year still shares their bucket.
    assert [years_of(b) for b in buckets(archive((2018, 1), (2019, 2), (2020, 1)))] == [[2018, 2019, 2020]]
    # Four: a new meeting would index them all again, so the newest year stands alone.
    before = buckets(archive((2018, 2), (2019, 2), (2020, 1)))
    assert [years_of(b) for b in before] == [[2018, 2019], [2020]]
    added = buckets(archive((2018, 2), (2019, 2), (2020, 2)))
    assert added[0] == before[0]
    assert len(pages_of(added[-1])) == 2
    # When a new year begins, the year just ended joins the older years' bucket, and the new year stands alone.
    next_year = buckets(archive((2018, 2), (2019, 2), (2020, 2), (2021, 1)))
    assert [years_of(b) for b in next_year] == [[2018, 2019, 2020], [2021]]
    assert [r.url for r in next_year[-1] if not r.sort] == ["topics/vrap/", "topics/asb/"]


def test_a_bucket_is_named_by_its_documents_and_by_the_pagefind_that_indexes_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = search._bucket_name(["<p>a</p>", "<p>b</p>"])
    assert re.fullmatch(r"[0-9a-f]{12}", name)
    assert search._bucket_name(["<p>a</p>", "<p>b</p>"]) == name
    assert search._bucket_name(["<p>a</p><p>b</p>"]) != name  # the documents' boundaries count
    assert search._bucket_name(["<p>b</p>", "<p>a</p>"]) != name
    # An upgraded Pagefind writes different bundles: none made by the old one is reused.
    monkeypatch.setattr(search, "_pagefind_version", lambda: "pagefind 9.9.9")
    assert search._bucket_name(["<p>a</p>", "<p>b</p>"]) != name


# --- Bundles and the cache: Pagefind on the real archive, split by year ---------------


@pytest.fixture
def two_buckets(monkeypatch: pytest.MonkeyPatch) -> list[SearchRecord]:
    """The real archive's records (meetings in 2017 and 2021), one meeting to a bucket."""
    monkeypatch.setattr(search, "BUCKET_MEETINGS", 1)
    found = list(records(archive_of(ROOT / "content", ROOT)))
    assert [years_of(b) for b in buckets(found)] == [[2017], [2021]]
    return found


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def listing(site: Path) -> list[str]:
    names: list[str] = json.loads((site / "pagefind" / "buckets.json").read_text(encoding="utf-8"))["buckets"]
    return names


@pytest.fixture
def pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[list[str]]]:
    """Every Pagefind command write_index runs, recorded as it runs."""
    runs: list[list[str]] = []

    def recorded(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        runs.append(command)
        return RUN(command, **kwargs)

    monkeypatch.setattr(subprocess, "run", recorded)
    yield runs


def refuse_pagefind(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, running Pagefind fails the build."""

    def refused(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", "Pagefind was run")

    monkeypatch.setattr(subprocess, "run", refused)


def test_each_bucket_is_a_bundle_of_its_own_listed_newest_first(
    two_buckets: list[SearchRecord], tmp_path: Path
) -> None:
    write_index(two_buckets, tmp_path / "site")
    index = tmp_path / "site" / "pagefind"
    names = listing(tmp_path / "site")
    assert len(names) == 2 and all(re.fullmatch(r"[0-9a-f]{12}", name) for name in names)
    assert sorted(p.name for p in index.iterdir()) == sorted([*names, "buckets.json"])
    for name in names:
        assert (index / name / "pagefind.js").is_file() and (index / name / "pagefind-entry.json").is_file()
    # Each bundle's metadata file is named beside it, for the browser to fetch every one at once.
    listed = json.loads((index / "buckets.json").read_text(encoding="utf-8"))
    assert [sorted(p.name for p in (index / name).glob("*.pf_meta")) for name in names] == [[m] for m in listed["meta"]]
    # And the years each holds, for the header's search to say which years it searched.
    assert listed["years"] == [[2021, 2021], [2017, 2017]]
    # Newest first: the 2021 meeting's item is in the first bundle's fragments, not the second's.
    newest, oldest = (tree(index / name) for name in names)
    assert any(b"2021-06-17-board" in data for data in fragments(newest))
    assert not any(b"2021-06-17-board" in data for data in fragments(oldest))


def fragments(bundle: dict[str, bytes]) -> Iterator[bytes]:
    for name, data in bundle.items():
        if name.startswith("fragment/"):
            yield gzip.decompress(data)


def test_no_cache_a_cold_cache_and_a_warm_one_write_the_same_bytes(
    two_buckets: list[SearchRecord], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    write_index(two_buckets, tmp_path / "none")
    write_index(two_buckets, tmp_path / "cold", cache)
    assert sorted(p.name for p in (cache / "search").iterdir()) == sorted(listing(tmp_path / "cold"))
    refuse_pagefind(monkeypatch)  # the warm build must not index anything
    write_index(two_buckets, tmp_path / "warm", cache)
    expected = tree(tmp_path / "none" / "pagefind")
    assert tree(tmp_path / "cold" / "pagefind") == expected
    assert tree(tmp_path / "warm" / "pagefind") == expected
    # The cache is only a cache: without it, the bundles are indexed again, to the same bytes.
    shutil.rmtree(cache)
    monkeypatch.setattr(subprocess, "run", RUN)
    write_index(two_buckets, tmp_path / "again", cache)
    assert tree(tmp_path / "again" / "pagefind") == expected


def test_a_changed_record_reindexes_only_its_bucket(
    two_buckets: list[SearchRecord], tmp_path: Path, pagefind_runs: list[list[str]]
) -> None:
    cache = tmp_path / "cache"
    write_index(two_buckets, tmp_path / "before", cache)
    assert len(pagefind_runs) == 2
    changed = [
        dataclasses.replace(r, content=r.content + " A late correction.") if r.url.endswith("#item-22") else r
        for r in two_buckets
    ]
    assert changed != two_buckets
    write_index(changed, tmp_path / "after", cache)
    assert len(pagefind_runs) == 3
    before, after = listing(tmp_path / "before"), listing(tmp_path / "after")
    # The 2021 bucket (newest, first) is new; the 2017 one is the cached bundle, unchanged.
    assert after[0] != before[0] and after[1] == before[1]
    assert tree(tmp_path / "after" / "pagefind" / after[1]) == tree(tmp_path / "before" / "pagefind" / before[1])
    # The cache keeps what this build used, and no more.
    assert sorted(p.name for p in (cache / "search").iterdir()) == sorted(after)


def test_a_pagefind_failure_is_reported_and_caches_nothing(
    two_buckets: list[SearchRecord], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_pagefind(monkeypatch)
    cache = tmp_path / "cache"
    with pytest.raises(SearchIndexError, match="Pagefind could not index the search records: Pagefind was run"):
        write_index(two_buckets, tmp_path / "site", cache)
    assert not (cache / "search").exists() or list((cache / "search").iterdir()) == []


def test_a_rebuild_into_the_same_site_leaves_no_old_bucket_behind(
    two_buckets: list[SearchRecord], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    write_index(two_buckets, site)
    monkeypatch.setattr(search, "BUCKET_MEETINGS", 1000)
    write_index(two_buckets, site)
    names = listing(site)
    assert len(names) == 1
    assert sorted(p.name for p in (site / "pagefind").iterdir()) == [*names, "buckets.json"]


def mkdocs_cleans(site: Path) -> None:
    """What MkDocs does to the site's folder before a build: deletes everything in it but hidden entries."""
    for entry in site.iterdir():
        if not entry.name.startswith("."):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def test_a_rebuild_takes_the_previous_builds_bundles_back_unchanged(
    two_buckets: list[SearchRecord], tmp_path: Path, pagefind_runs: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_index(two_buckets, site, cache)
    before = tree(site / "pagefind")
    older = listing(site)[1]
    changed = [
        dataclasses.replace(r, content=r.content + " A late correction.") if r.url.endswith("#item-22") else r
        for r in two_buckets
    ]
    # As the plugin does before MkDocs empties the site's folder for the next build.
    set_aside(site)
    mkdocs_cleans(site)
    copied: list[str] = []

    def link_or_copy(source: str, destination: str) -> None:
        copied.append(destination)
        LINK_OR_COPY(source, destination)

    monkeypatch.setattr(search, "_link_or_copy", link_or_copy)
    write_index(changed, site, cache)
    # Only the changed (2021) bucket was indexed; the 2017 bundle is the previous build's, moved back
    # whole, without a file of it copied or linked again (only the new bundle's, into the cache).
    assert len(pagefind_runs) == 3
    assert listing(site)[1] == older
    assert copied and not [path for path in copied if older in path]
    assert tree(site / "pagefind" / older) == {
        k.removeprefix(older + "/"): v for k, v in before.items() if k.startswith(older + "/")
    }
    # Nothing set aside is left in the site, and the index is what a build from nothing writes.
    assert sorted(p.name for p in site.iterdir()) == ["pagefind"]
    write_index(changed, tmp_path / "fresh")
    assert tree(site / "pagefind") == tree(tmp_path / "fresh" / "pagefind")


def test_a_set_aside_bundle_is_taken_back_only_while_the_cache_has_it(
    two_buckets: list[SearchRecord], tmp_path: Path, pagefind_runs: list[list[str]]
) -> None:
    site, cache = tmp_path / "site", tmp_path / "cache"
    write_index(two_buckets, site, cache)
    set_aside(site)
    mkdocs_cleans(site)
    # The cache is deleted, as anyone may: the site's old bundles are not trusted without it.
    shutil.rmtree(cache)
    write_index(two_buckets, site, cache)
    assert len(pagefind_runs) == 4
    assert sorted(p.name for p in site.iterdir()) == ["pagefind"]


def test_a_bucket_pagefind_fails_on_leaves_no_folder_under_a_bundles_name(
    two_buckets: list[SearchRecord], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tmp_path / "site"
    write_index(two_buckets, site)

    def dies_half_way(command: list[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
        output = Path(command[command.index("--output-path") + 1])
        output.mkdir(parents=True, exist_ok=True)
        (output / "pagefind-entry.json").write_text("{", encoding="utf-8")
        return subprocess.CompletedProcess(command, 1, "", "killed")

    monkeypatch.setattr(subprocess, "run", dies_half_way)
    changed = [dataclasses.replace(r, content=r.content + " A late correction.") for r in two_buckets]
    with pytest.raises(SearchIndexError):
        write_index(changed, site)
    # No half-made bundle, under its name or a hidden one, for a later build to take for a whole one.
    assert list((site / "pagefind").iterdir()) == []


# --- In the browser: the buckets merged into one search ------------------------------


@pytest.fixture
def split_site(real_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The real archive's site with its index in two buckets (2017, 2021), served."""
    site = tmp_path / "site"
    shutil.copytree(real_site, site)
    monkeypatch.setattr(search, "BUCKET_MEETINGS", 1)
    write_index(list(records(archive_of(ROOT / "content", ROOT))), site)
    assert len(listing(site)) == 2
    with serve(site) as url:
        yield url


def result_years(tab: Page) -> list[str]:
    expect(tab.locator(".archive-search-page__results .archive-result").first).to_be_visible()
    facts = tab.locator(".archive-search-page__results .archive-result__facts").all_inner_texts()
    return [re.findall(r"20\d\d", fact)[0] for fact in facts]


def test_one_search_finds_items_in_every_bucket(tab: Page, split_site: str) -> None:
    tab.goto(split_site + "search/?q=update")
    status = tab.locator(".archive-search-page__status")
    expect(status).to_have_text(re.compile(r"^\d+ results for “update”\.$"))
    assert set(result_years(tab)) == {"2017", "2021"}


def header_results(tab: Page, query: str) -> tuple[str, list[str]]:
    """Type into the header's box: what its status says and the years of the dated results it lists."""
    tab.fill("#archive-search-input", query)
    results = tab.locator(".archive-search__results .archive-result")
    expect(results.first).to_be_visible()
    expect(tab.locator(".archive-search__list")).not_to_have_attribute("aria-busy", "true")
    facts = results.locator(".archive-result__facts").all_inner_texts()
    status = tab.locator(".archive-search__status").inner_text()
    return status, [re.findall(r"20\d\d", fact)[0] for fact in facts]


def test_the_header_answers_from_the_newest_years_when_they_fill_it(tab: Page, split_site: str) -> None:
    asked: list[str] = []
    tab.context.on("request", lambda request: asked.append(request.url))
    tab.goto(split_site)
    newest, oldest = listing_of(split_site)
    status, years = header_results(tab, "update")
    # Six results from 2021 alone: the 2017 bucket is not fetched, and the box says whose years it searched.
    assert years == ["2021"] * 6
    assert re.fullmatch(r"\d+ results in 2021", status), status
    expect(tab.locator(".archive-search__all")).to_have_text("All years, all results and filters")
    assert any(f"/pagefind/{newest}/" in url for url in asked)
    assert not any(f"/pagefind/{oldest}/" in url for url in asked)
    # The search page it links to searches every year.
    tab.locator(".archive-search__all").click()
    expect(tab.locator(".archive-search-page__status")).to_have_text(re.compile(r"^\d+ results for “update”\.$"))
    assert set(result_years(tab)) == {"2017", "2021"}


def test_the_header_reaches_back_when_the_newest_years_have_too_few(tab: Page, split_site: str) -> None:
    tab.goto(split_site)
    # MOPAC is an item of 2017's, not of 2021's: fewer than six results in 2021, so 2017 is searched too.
    status, years = header_results(tab, "MOPAC")
    assert "2017" in years, years
    # Every year was searched, so the box says no years, and its link no "all years".
    assert re.fullmatch(r"\d+ results", status), status
    expect(tab.locator(".archive-search__all")).to_have_text("All results and filters")
    # A word found only in 2021, on a page of its own: fewer than six there, so 2017 is searched and adds nothing.
    asked: list[str] = []
    tab.context.on("request", lambda request: asked.append(request.url))
    tab.goto(split_site)
    status, years = header_results(tab, "VRAP")
    assert set(years) == {"2021"} and re.fullmatch(r"\d+ results?", status), (status, years)
    assert any(f"/pagefind/{listing_of(split_site)[1]}/" in url for url in asked)
    expect(
        tab.locator(".archive-search__results .archive-result").filter(
            has_text="22. Violence Reduction Action Plan (VRAP)"
        )
    ).to_be_visible()


def test_a_search_the_network_failed_runs_again_once_it_is_back(tab: Page, split_site: str) -> None:
    oldest = f"**/pagefind/{listing_of(split_site)[1]}/**"
    tab.context.route(oldest, lambda route: route.abort())
    tab.goto(split_site)
    # MOPAC needs the 2017 bucket, which does not arrive: the box says so, in words.
    tab.fill("#archive-search-input", "MOPAC")
    expect(tab.locator(".archive-search__status")).to_have_text(
        "The search could not run. Check the connection, then search again."
    )
    # The connection is back: searching again works, on the same page, with no reload.
    tab.context.unroute(oldest)
    status, years = header_results(tab, "MOPAC")
    assert "2017" in years and re.fullmatch(r"\d+ results", status), (status, years)
    # The search page, which needs every bucket, the same way.
    tab.context.route(oldest, lambda route: route.abort())
    tab.goto(split_site + "search/?q=update")
    page_status = tab.locator(".archive-search-page__status")
    expect(page_status).to_have_text("The search could not run. Check the connection, then search again.")
    tab.context.unroute(oldest)
    tab.fill("#search-query", "updates")
    expect(page_status).to_have_text(re.compile(r"^\d+ results for “updates”\.$"))
    assert set(result_years(tab)) == {"2017", "2021"}


@pytest.fixture
def many_buckets(synthetic_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The synthetic archive's site with its index in buckets of at most 40 meetings, served."""
    site = tmp_path / "site"
    shutil.copytree(synthetic_site, site)
    monkeypatch.setattr(search, "BUCKET_MEETINGS", 40)
    write_index(list(records(archive_of(synthetic_site.parent / "records"))), site)
    assert len(listing(site)) >= 4
    with serve(site) as url:
        yield url


def test_a_word_found_nowhere_is_looked_for_in_every_year(tab: Page, many_buckets: str) -> None:
    asked: list[str] = []
    tab.context.on("request", lambda request: asked.append(request.url))
    tab.goto(many_buckets)
    tab.fill("#archive-search-input", "zzzqqq")
    expect(tab.locator(".archive-search__status")).to_have_text("No results")
    expect(tab.locator(".archive-search__all")).to_have_count(0)
    # Every bucket was searched before the box said so, the newest first.
    names = listing_of(many_buckets)
    first_asked = [next(i for i, url in enumerate(asked) if f"/pagefind/{name}/" in url) for name in names]
    assert first_asked[0] == min(first_asked) and first_asked[1] < min(first_asked[2:]), first_asked


def listing_of(url: str) -> list[str]:
    with urllib.request.urlopen(url + "pagefind/buckets.json") as response:
        names: list[str] = json.loads(response.read())["buckets"]
    return names


def test_a_sorted_search_keeps_date_order_across_buckets(tab: Page, split_site: str) -> None:
    status = tab.locator(".archive-search-page__status")
    for order in ("newest", "oldest"):
        tab.goto(split_site + f"search/?q=update&sort={order}")
        expect(status).to_have_text(re.compile(r"^\d+ results for “update”\.$"))
        years = result_years(tab)
        # Not interleaved: each bucket's results in date order, the buckets one after the other.
        assert years == sorted(years, reverse=order == "newest") and set(years) == {"2017", "2021"}, years
    tab.goto(split_site + "search/?q=update&year=2017&sort=newest")
    expect(status).to_have_text(re.compile(r"results for “update”, in 2017\.$"))
    assert set(result_years(tab)) == {"2017"}
