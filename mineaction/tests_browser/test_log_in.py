"""Logging in through the real form, with two-factor authentication for privileged roles."""

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.urls import reverse
from playwright.sync_api import expect

from mineaction.tests_browser.support import current_totp_code, enter_totp_code, log_in

pytestmark = pytest.mark.browser


def assert_logged_in(page, live_server):
    """A members-only page opens instead of sending the browser to the log-in page."""
    organisations = reverse("stakeholders:organisation_list")
    page.goto(organisations)
    assert page.url == live_server.url + organisations


def test_member_logs_in_with_email_and_password_and_sees_the_dashboard(page, live_server, people):
    log_in(page, people["member"].user.email)

    assert page.url == live_server.url + resolve_url(settings.LOGIN_REDIRECT_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    assert_logged_in(page, live_server)


def test_member_with_a_wrong_password_stays_on_the_log_in_page(page, live_server, people):
    log_in(page, people["member"].user.email, password="not-the-password")

    assert page.url == live_server.url + reverse("account_login")
    expect(
        page.get_by_text("The email address and/or password you specified are not correct.")
    ).to_be_visible()
    page.goto(reverse("stakeholders:organisation_list"))
    assert page.url.startswith(live_server.url + reverse("account_login") + "?next=")


def test_secretariat_logs_in_with_a_totp_code_and_sees_the_members_panel(page, live_server, people):
    log_in(page, people["secretariat"].user.email)
    assert page.url == live_server.url + reverse("mfa_authenticate")

    enter_totp_code(page, current_totp_code())

    assert page.url == live_server.url + resolve_url(settings.LOGIN_REDIRECT_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_role("heading", level=2, name="Members")).to_be_visible()
    assert_logged_in(page, live_server)


def test_secretariat_with_a_wrong_totp_code_is_not_let_in(page, live_server, people):
    log_in(page, people["secretariat"].user.email)

    enter_totp_code(page, "000000" if current_totp_code() != "000000" else "111111")

    assert page.url == live_server.url + reverse("mfa_authenticate")
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.goto(reverse("stakeholders:organisation_list"))
    assert page.url == live_server.url + reverse("mfa_authenticate")  # still asked for the code
