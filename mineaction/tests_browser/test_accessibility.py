"""axe-core (from the axe-playwright-python package) finds no serious or critical accessibility
violation on the main pages, in English and in Arabic."""

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from mineaction.tests_browser.support import blocking_violations, log_in

pytestmark = pytest.mark.browser


def organisation_id(people):
    return {"public_id": people["member"].organisation.public_id}


def person_id(people):
    return {"public_id": people["member"].public_id}


# (URL name, who looks at it, the URL's arguments)
PAGES = [
    ("account_login", "anonymous", None),
    ("dashboard:home", "anonymous", None),
    ("dashboard:home", "member", None),
    ("dashboard:home", "lead_authority", None),
    ("dashboard:home", "secretariat", None),
    ("stakeholders:organisation_list", "member", None),
    ("stakeholders:organisation_detail", "member", organisation_id),
    ("stakeholders:organisation_create", "secretariat", None),
    ("stakeholders:person_list", "secretariat", None),
    ("stakeholders:person_detail", "secretariat", person_id),
    ("stakeholders:person_create", "secretariat", None),
    ("stakeholders:working_group_list", "member", None),
    ("stakeholders:lead_donor_rotation", "member", None),
    ("stakeholders:participation", "member", None),
    ("core:country_profile", "member", None),
    ("core:country_profile_edit", "lead_authority", None),
    ("core:patterns", "member", None),
]


def open_page(page, log_in_as, people, url_name, persona, arguments):
    if persona != "anonymous":
        log_in_as(people[persona].user)
    url = reverse(url_name, kwargs=arguments(people) if arguments else None)
    response = page.goto(url)
    assert response.status == 200, f"{url} answered {response.status} for {persona}"
    return url


@pytest.mark.parametrize(("url_name", "persona", "arguments"), PAGES)
def test_page_has_no_serious_accessibility_violation(
    page, log_in_as, people, url_name, persona, arguments
):
    url = open_page(page, log_in_as, people, url_name, persona, arguments)

    violations = blocking_violations(page)

    print(f"axe-core on {url} as {persona}:", *violations or ["no serious violations"], sep="\n")
    assert violations == []


@pytest.mark.parametrize(
    ("url_name", "persona", "arguments"),
    [
        ("dashboard:home", "lead_authority", None),
        ("stakeholders:organisation_list", "member", None),
        ("stakeholders:person_create", "secretariat", None),
    ],
)
def test_arabic_page_has_no_serious_accessibility_violation(
    page, live_server, log_in_as, people, url_name, persona, arguments
):
    language = {"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}
    page.context.add_cookies([language])
    url = open_page(page, log_in_as, people, url_name, persona, arguments)
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    violations = blocking_violations(page)

    print(f"axe-core on {url} in Arabic as {persona}:", *violations or ["none"], sep="\n")
    assert violations == []


def test_two_factor_code_page_has_no_serious_accessibility_violation(page, people):
    log_in(page, people["secretariat"].user.email)
    expect(page.locator("input[name=code]")).to_be_visible()

    assert blocking_violations(page) == []


def test_the_check_catches_a_field_without_a_label(page):
    page.set_content(
        '<!DOCTYPE html><html lang="en"><head><title>Form</title></head>'
        '<body><main><h1>Form</h1><input type="text" name="name"></main></body></html>'
    )

    assert [line.split(" ", 1)[0] for line in blocking_violations(page)] == ["label"]
