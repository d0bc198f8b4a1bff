"""The README and .env.example describe what the code does: these checks keep them in step."""

import re

from django.conf import settings

from mineaction.demo import data
from mineaction.demo.services import demo_accounts

README = (settings.BASE_DIR / "README.md").read_text()
ENV_EXAMPLE = (settings.BASE_DIR / ".env.example").read_text()
SETTINGS_SOURCE = (settings.BASE_DIR / "config" / "settings.py").read_text()


def test_env_example_lists_every_variable_the_settings_read():
    read = set(re.findall(r'(?:env_\w+|os\.environ\.get)\(\s*"([A-Z_0-9]+)"', SETTINGS_SOURCE))
    listed = set(re.findall(r"^#([A-Z_0-9]+)=", ENV_EXAMPLE, flags=re.MULTILINE))

    assert read
    assert read - listed == set()
    assert listed - read == {"PORT"}  # read by the Makefile


def test_readme_gives_every_demo_log_in_the_password_and_the_two_factor_secret():
    for email, _role, _two_factor in demo_accounts():
        assert f"`{email}`" in README
    assert f"**`{data.DEMO_PASSWORD}`**" in README
    assert f"**`{data.DEMO_TOTP_SECRET}`**" in README
    assert "mineaction demo_totp" in README
