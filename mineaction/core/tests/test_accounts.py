import re
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from mineaction.conftest import PASSWORD, TEST_TOTP_SECRET, make_person
from mineaction.core.choices import Role
from mineaction.core.models import User


def log_in(client, email):
    """A real log-in by password (allauth records it, so two-factor set-up needs no re-entry)."""
    response = client.post("/accounts/login/", {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return response


def open_totp_setup(client):
    """allauth asks for the password again before any two-factor change, even after log-in."""
    response = client.get("/accounts/2fa/totp/activate/")
    assert response.status_code == 302
    assert response.url.startswith("/accounts/reauthenticate/")
    response = client.post(response.url, {"password": PASSWORD})
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/totp/activate/"
    return client.get(response.url)


def current_totp_code():
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30))


def test_login_page_has_labelled_fields_and_no_sign_up_invitation(client, people):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<label for="id_login">' in response.text
    assert '<label for="id_password">' in response.text
    assert 'class="button"' in response.text
    assert "Forgot your password?" in response.text
    assert "sign up" not in response.text.lower()


def test_sign_up_is_closed(client, db):
    assert "Sign Up Closed" in client.get("/accounts/signup/").text
    client.post(
        "/accounts/signup/",
        {
            "email": "new@example.org",
            "password1": "a-long-password-1",
            "password2": "a-long-password-1",
        },
    )
    assert not User.objects.filter(email="new@example.org").exists()


def test_member_logs_in_by_email_and_lands_on_the_dashboard(client, people):
    response = client.post(
        "/accounts/login/", {"login": "NGO.Member@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == "/"
    assert client.get("/").context["user"] == people["member"].user


def test_wrong_password_is_refused_with_a_clear_message(client, people):
    response = client.post(
        "/accounts/login/", {"login": "ngo.member@example.org", "password": "wrong-password"}
    )
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.text
    assert "_auth_user_id" not in client.session


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(client, people):
    for _attempt in range(5):
        client.post(
            "/accounts/login/", {"login": "ngo.member@example.org", "password": "wrong-password"}
        )
    response = client.post(
        "/accounts/login/", {"login": "ngo.member@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.text
    assert "_auth_user_id" not in client.session


def test_privileged_user_logs_in_with_password_then_a_totp_code(client, people):
    response = client.post(
        "/accounts/login/", {"login": "lead.authority@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    page = client.get(response.url)
    assert '<label for="id_code">' in page.text
    response = client.post("/accounts/2fa/authenticate/", {"code": current_totp_code()})
    assert response.status_code == 302
    assert response.url == "/"
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert dashboard.context["user"] == people["lead_authority"].user


def test_wrong_totp_code_is_refused(client, people):
    client.post("/accounts/login/", {"login": "lead.authority@example.org", "password": PASSWORD})
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200
    assert "Incorrect code." in response.text
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", [Role.LEAD_AUTHORITY, Role.SECRETARIAT])
def test_privileged_user_without_totp_must_set_it_up_before_anything_else(
    client, ngo_org, country, role
):
    make_person("new.privileged@example.org", ngo_org, role=role, two_factor=False)
    assert log_in(client, "new.privileged@example.org").url == "/"
    for path in ["/", "/country/", "/tokens/", "/patterns/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url == "/accounts/2fa/totp/activate/"
    setup = open_totp_setup(client)
    assert setup.status_code == 200
    assert '<label for="id_code">' in setup.text


def test_administrator_without_totp_must_set_it_up(client, ngo_org, country):
    person = make_person("new.admin@example.org", ngo_org, superuser=True, two_factor=False)
    client.force_login(person.user)
    assert client.get("/").url == "/accounts/2fa/totp/activate/"


def test_member_without_totp_is_not_forced_to_set_it_up(client, ngo_org, country):
    person = make_person("plain.member@example.org", ngo_org, role=Role.MEMBER)
    client.force_login(person.user)
    assert client.get("/").status_code == 200
    assert client.get("/country/").status_code == 200


def test_member_may_set_up_totp_voluntarily(client, ngo_org, country):
    person = make_person("keen.member@example.org", ngo_org, role=Role.MEMBER)
    log_in(client, "keen.member@example.org")
    page = open_totp_setup(client)
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post("/accounts/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert person.user.authenticator_set.filter(type="totp").exists()


def test_password_reset_by_email_end_to_end(client, people, smtp_server):
    response = client.post("/accounts/password/reset/", {"email": "ngo.member@example.org"})
    assert response.status_code == 302
    assert len(smtp_server) == 1
    message = smtp_server[0]
    assert message["X-Envelope-To"] == "ngo.member@example.org"
    body = message.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", body).group(1)
    set_password_page = client.get(link, follow=True)
    assert set_password_page.status_code == 200
    form_url = set_password_page.redirect_chain[-1][0]
    assert '<label for="id_password1">' in set_password_page.text
    response = client.post(
        form_url, {"password1": "a-brand-new-passphrase", "password2": "a-brand-new-passphrase"}
    )
    assert response.status_code == 302
    assert client.login(email="ngo.member@example.org", password="a-brand-new-passphrase")
    client.logout()
    response = client.post(
        "/accounts/login/",
        {"login": "ngo.member@example.org", "password": "a-brand-new-passphrase"},
    )
    assert response.url == "/"


def test_password_reset_refuses_mismatched_passwords_and_keeps_the_old_one(
    client, people, smtp_server
):
    client.post("/accounts/password/reset/", {"email": "ngo.member@example.org"})
    body = smtp_server[0].get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+/)", body).group(1)
    form_url = client.get(link, follow=True).redirect_chain[-1][0]
    response = client.post(form_url, {"password1": "first-passphrase", "password2": "other-one"})
    assert response.status_code == 200
    assert "You must type the same password each time." in response.text
    people["member"].user.refresh_from_db()
    assert people["member"].user.check_password(PASSWORD)


def test_bad_password_reset_link_says_so(client, people):
    response = client.get("/accounts/password/reset/key/abc-def/", follow=True)
    assert "The password reset link was invalid" in response.text
