"""The README's screenshot: the lead authority's dashboard on the demo country.

`make screenshot` runs this test with SCREENSHOT_PATH=docs/screenshot.png; otherwise the
picture goes to a temporary folder, so the browser tier still checks that it can be taken.
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.shortcuts import resolve_url
from playwright.sync_api import expect

from mineaction.core.models import User
from mineaction.demo.services import demo_accounts

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_dashboard_screenshot_of_the_demo_for_the_readme(page, log_in_as, tmp_path):
    call_command("load_demo", stdout=io.StringIO())
    authority = next(email for email, role, _ in demo_accounts() if role == "lead_authority")
    log_in_as(User.objects.get(email=authority))
    page.goto(resolve_url(settings.LOGIN_REDIRECT_URL))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    path = Path(os.environ.get("SCREENSHOT_PATH") or tmp_path / "screenshot.png")
    path.parent.mkdir(parents=True, exist_ok=True)

    page.screenshot(path=path, full_page=False)

    assert path.read_bytes().startswith(PNG_SIGNATURE)
    assert path.stat().st_size > 10_000
