"""The browser tier: the real app on a live server, driven through Debian's Chromium.

Run with `make test-browser` (installs Chromium with apt when it is missing). Every test here
is marked `browser`, which the default test run leaves out.
"""

import os

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import sync_playwright

from mineaction.tests_browser.support import CHROMIUM, CHROMIUM_ARGS, VIEWPORT


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"No Chromium at {CHROMIUM}: run scripts/install-browser or set CHROMIUM_PATH")
    # Playwright's synchronous API keeps an event loop in the test thread, and Django refuses
    # ORM calls from a thread with a running loop. The tests touch the database only between
    # browser actions, never during one, so their calls are safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):
    """A fresh browser tab (own cookies) whose relative URLs go to the live server."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT, locale="en-GB")
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def log_in_as(page, live_server):
    """Give the browser a session for a user, as if they had logged in with two-factor; for
    tests about pages rather than about logging in."""

    def log_in_as(user):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key}
        page.context.add_cookies([{**cookie, "url": live_server.url}])

    return log_in_as
