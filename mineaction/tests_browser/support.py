"""Helpers of the browser tests: Chromium's settings, logging in through the forms."""

import os
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from mineaction.conftest import PASSWORD, TEST_TOTP_SECRET

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
TOTP_PERIOD = 30
BLOCKING_IMPACTS = {"serious", "critical"}


def log_in(page, email, password=PASSWORD):
    """Log in through the real log-in form."""
    page.goto(reverse("account_login"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        page.locator("input[name=password]").press("Enter")


def current_totp_code(secret=TEST_TOTP_SECRET):
    """The code an authenticator app shows now; waits out the last seconds of a period, so
    that the code is still valid when the server checks it."""
    if TOTP_PERIOD - time.time() % TOTP_PERIOD < 3:
        time.sleep(3)
    return format_hotp_value(hotp_value(secret, int(time.time()) // TOTP_PERIOD))


def enter_totp_code(page, code):
    page.locator("input[name=code]").fill(code)
    with page.expect_navigation():
        page.locator("input[name=code]").press("Enter")


def blocking_violations(page):
    """Run axe-core on the page; the serious and critical violations, each as a readable line."""
    violations = Axe().run(page).response["violations"]
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} "
        f"at {', '.join(str(node['target']) for node in violation['nodes'])} "
        f"[{violation['helpUrl']}]"
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS
    ]
