import re
from pathlib import Path

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from django.conf import settings
from django.urls import NoReverseMatch, reverse

from mineaction.conftest import PASSWORD, PERSONAS

STYLESHEET = Path(settings.BASE_DIR) / "mineaction" / "static" / "mineaction" / "platform.css"


def test_every_page_has_landmarks_a_skip_link_and_a_language(clients):
    text = clients["member"].get("/").text
    assert '<html lang="en" dir="ltr">' in text
    assert '<a class="skip-link" href="#main">Skip to main content</a>' in text
    assert '<main id="main" tabindex="-1">' in text
    for landmark in [
        '<header class="site-header">',
        '<nav class="site-nav" aria-label="Main">',
        '<footer class="site-footer">',
    ]:
        assert landmark in text


def test_language_switcher_offers_the_six_un_languages(client, db):
    text = client.get("/").text
    options = re.findall(r'<option value="([a-z-]+)" lang=', text)
    assert options == ["en", "fr", "es", "ar", "ru", "zh-hans"]
    assert '<label for="language-select">Language</label>' in text


def test_choosing_arabic_turns_the_page_right_to_left(client, db):
    response = client.post("/i18n/setlang/", {"language": "ar", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="ar" dir="rtl">' in client.get("/").text
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert '<html lang="fr" dir="ltr">' in client.get("/").text


def test_stylesheet_uses_only_logical_properties():
    css = "\n".join(
        line for line in STYLESHEET.read_text().splitlines() if not line.startswith("@media")
    )
    physical = re.findall(
        r"(?<![\w-])(?:margin|padding|border)-(?:left|right|top|bottom)\b"
        r"|(?<![\w-])(?:left|right|top|bottom)\s*:"
        r"|text-align:\s*(?:left|right)"
        r"|float:\s*(?:left|right)"
        r"|(?<![\w-])(?:max-|min-)?(?:width|height)\s*:",
        css,
    )
    assert physical == []


def test_nav_shows_member_pages_only_to_members(clients):
    member_nav = clients["member"].get("/").text
    outsider_nav = clients["outsider"].get("/").text
    assert 'href="/country/"' in member_nav
    assert 'href="/tokens/"' in member_nav
    assert 'href="/country/"' not in outsider_nav
    assert 'href="/tokens/"' not in outsider_nav
    assert '<a href="/" aria-current="page">Dashboard</a>' in member_nav


@pytest.mark.parametrize("persona", PERSONAS)
def test_audit_trail_is_in_the_nav_only_for_those_who_may_read_it(clients, persona):
    text = clients[persona].get("/").text
    assert ('href="/audit/"' in text) == (persona in {"lead_authority", "administrator"})


def test_nav_links_to_stakeholder_pages_that_exist(clients):
    text = clients["member"].get("/").text
    for name in [
        "organisation_list",
        "person_list",
        "working_group_list",
        "lead_donor_rotation",
        "participation",
    ]:
        try:
            url = reverse(f"stakeholders:{name}")
        except NoReverseMatch:
            continue
        assert f'href="{url}"' in text


def test_logged_in_user_logs_out_with_a_post_button(clients):
    text = clients["member"].get("/").text
    assert '<form class="inline-form" method="post" action="/accounts/logout/">' in text
    response = clients["member"].post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in clients["member"].session


@pytest.mark.parametrize(
    ("path", "labels"),
    [
        ("/accounts/login/", ["id_login", "id_password"]),
        ("/accounts/password/reset/", ["id_email"]),
    ],
)
def test_account_pages_use_the_platform_layout_with_labels_and_buttons(client, db, path, labels):
    text = client.get(path).text
    assert '<a class="skip-link" href="#main">' in text
    assert '<main id="main" tabindex="-1" class="entrance">' in text
    for label in labels:
        assert f'<label for="{label}">' in text
    assert re.search(r'<button class="button"[^>]*type="submit">', text)


def test_bad_login_shows_the_error_next_to_the_form(client, people):
    text = client.post("/accounts/login/", {"login": "not-an-email", "password": ""}).text
    assert 'class="errorlist' in text
    assert "This field is required." in text


def test_two_factor_pages_use_the_account_layout(clients):
    text = clients["member"].get("/accounts/2fa/").text
    assert '<nav class="sub-nav" aria-label="Account settings">' in text
    assert '<section class="card panel">' in text
    assert 'class="button" type="" ' not in text


def test_recovery_codes_page_renders_for_a_user_with_two_factor(clients, people):
    RecoveryCodes.activate(people["lead_authority"].user)
    client = clients["lead_authority"]
    asked = client.get("/accounts/2fa/recovery-codes/", follow=True)
    assert '<label for="id_password">' in asked.text
    response = client.post(asked.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert '<main id="main"' in response.text
    assert "Recovery Codes" in response.text
