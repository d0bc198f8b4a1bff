from io import StringIO

import pytest
from allauth.mfa.totp.internal.auth import validate_totp_code
from django.core.management import CommandError, call_command
from django.urls import reverse

from mineaction.core.models import CountryProfile, User
from mineaction.demo import data
from mineaction.demo.services import demo_totp_code


def demo_totp():
    out, err = StringIO(), StringIO()
    call_command("demo_totp", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=StringIO())


def test_demo_totp_prints_the_current_code_of_the_published_secret(demo):
    out, err = demo_totp()

    code = out.strip()
    assert len(code) == 6 and code.isdigit()
    assert validate_totp_code(data.DEMO_TOTP_SECRET, code)
    assert err.startswith("Valid for another ")


def test_demo_totp_code_lasts_thirty_seconds_and_then_changes():
    assert demo_totp_code(now=31) == ("427048", 29)
    assert demo_totp_code(now=59) == ("427048", 1)
    assert demo_totp_code(now=60)[0] != "427048"


def test_demo_totp_refuses_a_database_without_the_demo(db):
    with pytest.raises(CommandError, match="does not hold the demo"):
        demo_totp()


def test_demo_totp_refuses_a_real_country_profile(db):
    CountryProfile.objects.create(name="Realland", iso3="RLD")

    with pytest.raises(CommandError, match="does not hold the demo"):
        demo_totp()


def test_authority_logs_in_with_the_password_and_the_demo_two_factor_code(demo, client, settings):
    settings.LOGIN_REDIRECT_URL = "/"
    response = client.post(
        reverse("account_login"),
        {"login": "authority@demo.example", "password": data.DEMO_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")

    code = demo_totp()[0].strip()
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert client.session["_auth_user_id"] == str(
        User.objects.get(email="authority@demo.example").pk
    )
