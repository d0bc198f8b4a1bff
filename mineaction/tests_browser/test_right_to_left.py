"""Arabic pages are right-to-left: the document says so and the layout mirrors."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from playwright.sync_api import expect

from mineaction.tests_browser.support import VIEWPORT

pytestmark = pytest.mark.browser


def header_layout(page):
    """Where the brand and the first two main-menu links sit, in CSS pixels."""
    banner = page.get_by_role("banner")
    menu_links = banner.get_by_role("navigation").first.get_by_role("link")
    return {
        "brand": banner.get_by_role("link").first.bounding_box(),
        "first_link": menu_links.nth(0).bounding_box(),
        "second_link": menu_links.nth(1).bounding_box(),
    }


def switch_language(page, code):
    """Choose a language in the header's switcher and submit it."""
    switcher = page.locator("form:has(select[name=language])")
    switcher.locator("select[name=language]").select_option(code)
    with page.expect_navigation():
        switcher.locator("[type=submit]").click()


def test_choosing_arabic_makes_the_page_right_to_left_and_mirrors_the_header(
    page, people, log_in_as
):
    log_in_as(people["member"].user)
    page.goto(resolve_url(settings.LOGIN_REDIRECT_URL))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    left_to_right = header_layout(page)

    switch_language(page, "ar")

    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    right_to_left = header_layout(page)
    width = VIEWPORT["width"]
    ltr_brand, rtl_brand = left_to_right["brand"], right_to_left["brand"]
    # The brand starts at the left edge in English and at the same distance from the right
    # edge in Arabic.
    assert ltr_brand["x"] < width / 2 < rtl_brand["x"] + rtl_brand["width"]
    assert abs((width - rtl_brand["x"] - rtl_brand["width"]) - ltr_brand["x"]) <= 1
    # Menu links run from right to left.
    assert left_to_right["first_link"]["x"] < left_to_right["second_link"]["x"]
    assert right_to_left["first_link"]["x"] > right_to_left["second_link"]["x"]


def test_the_language_choice_sticks_and_english_turns_the_page_back_left_to_right(
    page, people, log_in_as
):
    log_in_as(people["member"].user)
    page.goto(resolve_url(settings.LOGIN_REDIRECT_URL))
    switch_language(page, "ar")

    page.reload()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    switch_language(page, "en")

    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.locator("html")).to_have_attribute("lang", "en")
