"""Search and register filters in headless Chromium, on the built sites, as a resident uses them."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.fixtures import ROOT, archive_of

RESULT = ".archive-result"


def test_typing_vrap_in_the_header_shows_the_2021_item(tab: Page, real_site_url: str) -> None:
    tab.goto(real_site_url)
    tab.fill("#archive-search-input", "VRAP")
    results = tab.locator(f".archive-search__results {RESULT}")
    expect(results.first).to_be_visible()
    titles = results.locator(".archive-result__title").all_inner_texts()
    assert "22. Violence Reduction Action Plan (VRAP)" in titles
    item = results.filter(has_text="22. Violence Reduction Action Plan (VRAP)")
    expect(item.locator(".archive-result__facts")).to_have_text(
        "Thursday 17 June 2021 · Safer Bromley Partnership Board"
    )
    expect(item.locator(".archive-result__excerpt mark").first).to_have_text(re.compile("VRAP"))


def test_filtering_by_year_shows_only_that_years_items(tab: Page, real_site_url: str) -> None:
    tab.goto(real_site_url + "search/?q=update")
    results = tab.locator(f".archive-search-page__results {RESULT}")
    expect(results.first).to_be_visible()
    all_years = set(re.findall(r"20\d\d", " ".join(results.locator(".archive-result__facts").all_inner_texts())))
    assert all_years == {"2017", "2021"}
    tab.select_option("select[name=year]", "2017")
    expect(tab.locator(".archive-search-page__status")).to_contain_text("for “update”")
    expect(results.first).to_be_visible()
    facts = results.locator(".archive-result__facts").all_inner_texts()
    assert facts and all("2017" in f and "2021" not in f for f in facts)
    assert "year=2017" in tab.url and "q=update" in tab.url


def test_a_shared_search_address_restores_the_search(tab: Page, real_site_url: str) -> None:
    tab.goto(real_site_url + "search/?q=knife+crime&topic=knife-crime&year=2017&sort=newest")
    expect(tab.locator("#search-query")).to_have_value("knife crime")
    expect(tab.locator("select[name=topic]")).to_have_value("knife-crime")
    results = tab.locator(f".archive-search-page__results {RESULT}")
    expect(results.first).to_be_visible()
    titles = results.locator(".archive-result__title").all_inner_texts()
    assert "Police update" in titles
    assert "MOPAC update" in titles


def test_a_result_link_lands_on_the_items_anchor(tab: Page, real_site_url: str) -> None:
    tab.goto(real_site_url + "search/?q=Channel+Panel")
    link = tab.locator(f".archive-search-page__results {RESULT} a", has_text="Prevent update").first
    link.click()
    tab.wait_for_url(re.compile(r"/meetings/2017-07-06-strategic-group/#item-prevent-update$"))
    heading = tab.locator("#item-prevent-update")
    expect(heading).to_have_text(re.compile("Prevent update"))
    expect(heading).to_be_in_viewport()


def test_register_filters_answer_from_every_year_and_keep_the_choice(tab: Page, fixture_site_url: str) -> None:
    tab.goto(fixture_site_url + "actions/")
    static = tab.locator("[data-register-static] .register-list > ul > li")
    expect(static).to_have_count(1)  # the latest year, 2021
    tab.select_option("select[name=status]", "done")
    results = tab.locator(".register-list--results > li")
    expect(results).to_have_count(1)
    # The one done action was agreed in 2020, not the year on screen.
    expect(results).to_contain_text("Example Partnership Board, Thursday 12 March 2020")
    expect(results).to_contain_text("report the knife crime figures")
    status = tab.locator(".register-filters__status")
    expect(status).to_contain_text("Showing 1 to 1 of 1 action: status Done, every year.")
    expect(static).to_be_hidden()
    assert tab.url.endswith("actions/?status=done")
    # The address restores the choice; clearing it brings back the year's own list.
    tab.goto(fixture_site_url + "actions/?status=done")
    expect(results).to_have_count(1)
    tab.get_by_role("button", name="Clear filters").click()
    expect(static).to_have_count(1)
    expect(static.first).to_be_visible()
    assert tab.url.endswith("actions/")


def test_hiding_routine_resolutions_says_what_emptied_the_list(tab: Page, fixture_site_url: str) -> None:
    tab.goto(fixture_site_url + "decisions/2020/")
    # On a year's page the filters start from that year.
    expect(tab.locator("select[name=year]")).to_have_value("2020")
    tab.get_by_label("Hide routine resolutions").check()
    expect(tab.locator(".register-filters__status")).to_contain_text(
        "No decisions match year 2020, routine resolutions hidden. The 1 that match are all routine"
    )
    assert tab.url.endswith("decisions/2020/?routine=hide")
    tab.select_option("select[name=year]", "")
    expect(tab.locator(".register-filters__status")).to_contain_text("The 2 that match are all routine")
    assert tab.url.endswith("decisions/2020/?year=all&routine=hide")


def test_a_topics_committee_filter_spans_every_year(tab: Page, fixture_site_url: str) -> None:
    tab.goto(fixture_site_url + "topics/vrap/")
    tab.select_option("select[name=committee]", "strategic-group")
    results = tab.locator(".register-list--results > li")
    expect(results).to_have_count(2)
    expect(results.nth(1)).to_contain_text("Thursday 6 July 2017, minute 150: Violence reduction")
    assert tab.url.endswith("topics/vrap/?committee=strategic-group")


def test_a_query_finds_each_item_once(tab: Page, real_site_url: str) -> None:
    tab.goto(real_site_url + "search/?q=Shoreham+air+disaster")
    expect(tab.locator(".archive-search-page__status")).to_have_text("1 result for “Shoreham air disaster”.")
    expect(tab.locator(f".archive-search-page__results {RESULT} a")).to_have_text("Minutes of the previous meeting")


def test_quoted_words_search_as_a_phrase(tab: Page, real_site_url: str) -> None:
    status = tab.locator(".archive-search-page__status")
    # Six items hold both words; one holds them side by side.
    tab.goto(real_site_url + "search/?q=police+training")
    expect(status).to_contain_text("results for “police training”.")
    expect(tab.locator(f".archive-search-page__results {RESULT}").nth(5)).to_be_visible()
    loose = tab.locator(f".archive-search-page__results {RESULT}").count()
    tab.goto(real_site_url + "search/?q=%22police+training%22")
    expect(status).to_have_text("1 result for the phrase “police training”.")
    expect(tab.locator(f".archive-search-page__results {RESULT} a")).to_have_text("Crime Performance Dashboard")
    assert loose >= 6


def test_the_search_status_names_its_filters_and_what_emptied_the_list(tab: Page, real_site_url: str) -> None:
    status = tab.locator(".archive-search-page__status")
    tab.goto(real_site_url + "search/?q=knife+crime&year=2021")
    expect(status).to_contain_text("for “knife crime”, in 2021.")
    clear = tab.get_by_role("button", name="Clear filters")
    expect(clear).to_be_visible()
    tab.goto(real_site_url + "search/?q=knife+crime&topic=dhr")
    expect(status).to_contain_text(
        "No results for “knife crime” with the topic Domestic Homicide Reviews: that filter leaves nothing."
        " Without filters there are"
    )
    clear.click()
    expect(status).to_contain_text("for “knife crime”.")
    expect(clear).to_be_hidden()
    assert tab.url.endswith("search/?q=knife+crime")


def test_a_topics_result_shows_its_summary_not_its_aliases(tab: Page, real_site_url: str) -> None:
    tab.goto(real_site_url + "search/?q=vrap")
    topic = tab.locator(f".archive-search-page__results {RESULT}", has_text="Topic: Violence Reduction Action Plan")
    summary = archive_of(ROOT / "content").topic("vrap").summary
    expect(topic.locator(".archive-result__excerpt")).to_have_text(summary)


def test_a_person_is_found_by_name_once_and_people_can_be_chosen_alone(tab: Page, real_site_url: str) -> None:
    tab.goto(real_site_url + "search/?q=Stowell&type=person")
    results = tab.locator(f".archive-search-page__results {RESULT}")
    expect(results.first).to_be_visible()
    titles = results.locator(".archive-result__title").all_inner_texts()
    # One record for the person, however often the minutes name her; nothing but people and roles.
    assert titles.count("Person: Joanna Stowell") == 1
    assert all(t.startswith(("Person: ", "Role: ")) for t in titles), titles
    expect(tab.locator(".archive-search-page__status")).to_contain_text("among people and roles")
    results.filter(has_text="Person: Joanna Stowell").locator("a").first.click()
    expect(tab.locator("h1")).to_contain_text("Joanna Stowell")
    assert tab.url.endswith("/people/joanna-stowell/")


def test_the_people_index_filters_as_you_type_and_keeps_the_words(tab: Page, real_site_url: str) -> None:
    tab.goto(real_site_url + "people/")
    rows = tab.locator(".people-index tbody tr")
    total = rows.count()
    assert total > 20
    tab.fill("#people-filter", "bailey")
    expect(tab.locator("#people-filter-status")).to_have_text(f"2 of {total} people match “bailey”.")
    assert [rows.nth(i).locator("td").first.inner_text() for i in range(total) if rows.nth(i).is_visible()] == [
        "Jane Bailey",
        "Janet Bailey",
    ]
    assert "name=bailey" in tab.url
    tab.reload()
    expect(tab.locator("#people-filter")).to_have_value("bailey")
    tab.fill("#people-filter", "nobody by this name")
    expect(tab.locator("#people-filter-status")).to_have_text("No one matches “nobody by this name”.")
