import re

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.test import Client
from django.urls import reverse

from mineaction.conftest import PASSWORD
from mineaction.core.models import AuditEntry, User
from mineaction.stakeholders import services
from mineaction.stakeholders.models import Person
from mineaction.stakeholders.tests.helpers import EDIT_ACCESS, assert_outcome, audit_entries

NEW_PASSWORD = "minefield-survey-2031"


def invite_url(person):
    return reverse("stakeholders:person_invite", args=[person.public_id])


@pytest.fixture
def invitee(people, ngo_org):
    person = Person.objects.create(
        given_name="Claire",
        family_name="Dubois",
        email="claire.dubois@example.org",
        organisation=ngo_org,
        language="fr",
    )
    person.memberships.create(role="member")
    return person


def invite(client, person, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(invite_url(person))


def link_in(message):
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://testserver\S+", body).group(0)


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


@pytest.mark.parametrize(("persona", "expected"), EDIT_ACCESS.items())
def test_invitation_page_access_by_role(clients, invitee, persona, expected):
    assert_outcome(clients[persona].get(invite_url(invitee)), expected)


def test_a_member_cannot_invite_even_themselves(clients, people, smtp_server):
    member = people["member"]
    assert clients["member"].post(invite_url(member)).status_code == 403
    assert smtp_server == []


@pytest.mark.parametrize("persona", ["outsider", "observer", "lead_donor"])
def test_read_only_users_cannot_invite(clients, invitee, persona, smtp_server):
    response = clients[persona].post(invite_url(invitee))
    assert response.status_code == (404 if persona == "outsider" else 403)
    invitee.refresh_from_db()
    assert invitee.user is None
    assert smtp_server == []


def test_invitation_creates_a_log_in_without_password_in_the_persons_language(
    clients, people, invitee, smtp_server, django_capture_on_commit_callbacks
):
    response = invite(clients["secretariat"], invitee, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response.url == reverse("stakeholders:person_detail", args=[invitee.public_id])
    invitee.refresh_from_db()
    user = invitee.user
    assert user.email == "claire.dubois@example.org"
    assert user.language == "fr"
    assert user.has_usable_password() is False
    entry = audit_entries(invitee, AuditEntry.Action.UPDATE).get()
    assert entry.actor == people["secretariat"].user
    assert entry.changes == {"user_id": [None, user.pk]}


def test_invitation_email_arrives_in_the_persons_language(
    clients, invitee, smtp_server, django_capture_on_commit_callbacks
):
    invite(clients["secretariat"], invitee, django_capture_on_commit_callbacks)
    [message] = smtp_server
    assert message["X-Envelope-To"] == "claire.dubois@example.org"
    assert message["Content-Language"] == "fr"
    assert message["Subject"] == "Invitation à rejoindre la Plateforme de lutte antimines"
    html = message.get_body(("html",)).get_content()
    assert '<html lang="fr" dir="ltr">' in html
    text = message.get_body(("plain",)).get_content()
    assert "Bonjour Claire," in text
    assert "Secretariat Officer vous invite à vous connecter" in text
    # Django's own French catalogue formats the expiry date: the override was active.
    month_names = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août"]
    month_names += ["septembre", "octobre", "novembre", "décembre"]
    assert any(month in text for month in month_names)


def test_following_the_link_sets_a_password_and_lets_the_person_log_in(
    clients, invitee, smtp_server, django_capture_on_commit_callbacks
):
    invite(clients["secretariat"], invitee, django_capture_on_commit_callbacks)
    link = link_in(smtp_server[0])
    assert link.startswith("http://testserver/accounts/password/reset/key/")
    browser = Client()
    response = browser.get(link)
    assert response.status_code == 302
    form_url = response.url
    assert browser.get(form_url).status_code == 200
    response = browser.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_from_key_done")
    response = browser.post(
        reverse("account_login"), {"login": "claire.dubois@example.org", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert int(browser.session["_auth_user_id"]) == Person.objects.get(pk=invitee.pk).user_id


def test_the_link_works_only_once(
    clients, invitee, smtp_server, django_capture_on_commit_callbacks
):
    invite(clients["secretariat"], invitee, django_capture_on_commit_callbacks)
    link = link_in(smtp_server[0])
    browser = Client()
    form_url = browser.get(link).url
    browser.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    response = Client().get(link)
    assert response.status_code == 200
    assert response.context["token_fail"] is True


def test_the_link_expires(
    clients, invitee, smtp_server, django_capture_on_commit_callbacks, settings
):
    invite(clients["secretariat"], invitee, django_capture_on_commit_callbacks)
    settings.PASSWORD_RESET_TIMEOUT = -1  # any age is now too old
    response = Client().get(link_in(smtp_server[0]))
    assert response.context["token_fail"] is True


def test_invitation_can_be_resent_until_the_password_is_set(
    clients, invitee, smtp_server, django_capture_on_commit_callbacks
):
    invite(clients["secretariat"], invitee, django_capture_on_commit_callbacks)
    page = clients["secretariat"].get(invite_url(invitee))
    assert page.context["resend"] is True
    assert "Send the invitation again" in page.content.decode()
    users_before = User.objects.count()
    response = invite(clients["secretariat"], invitee, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert User.objects.count() == users_before
    assert len(smtp_server) == 2


def test_person_without_email_is_refused_clearly(
    clients, people, ngo_org, smtp_server, django_capture_on_commit_callbacks
):
    person = Person.objects.create(given_name="No", family_name="Mail", organisation=ngo_org)
    users_before = User.objects.count()
    response = invite(clients["secretariat"], person, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "This person has no email address. Add one before inviting them." in (
        response.content.decode()
    )
    assert User.objects.count() == users_before
    assert smtp_server == []


def test_person_with_a_password_already_set_is_refused(
    clients, people, smtp_server, django_capture_on_commit_callbacks
):
    response = invite(clients["secretariat"], people["member"], django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "already has a log-in and has set a password" in response.content.decode()
    assert smtp_server == []


def test_deactivated_log_in_is_refused(
    clients, people, smtp_server, django_capture_on_commit_callbacks
):
    observer = people["observer"]
    observer.user.set_unusable_password()
    observer.user.is_active = False
    observer.user.save()
    response = invite(clients["secretariat"], observer, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "deactivated" in response.content.decode()
    assert smtp_server == []


def test_service_refuses_with_a_validation_error(people, ngo_org):
    person = Person.objects.create(given_name="No", family_name="Mail", organisation=ngo_org)
    with pytest.raises(ValidationError) as refused:
        services.person_invite(person=person, invited_by=people["secretariat"].user)
    assert refused.value.messages == [
        "This person has no email address. Add one before inviting them."
    ]


def test_an_unlinked_log_in_without_password_is_linked_not_duplicated(
    invitee, people, smtp_server, django_capture_on_commit_callbacks
):
    existing = User.objects.create_user("claire.dubois@example.org", None)
    with django_capture_on_commit_callbacks(execute=True):
        user = services.person_invite(person=invitee, invited_by=people["secretariat"].user)
    assert user == existing
    assert len(smtp_server) == 1


def test_an_unlinked_log_in_with_a_password_is_refused(invitee, people):
    User.objects.create_user("claire.dubois@example.org", PASSWORD)
    with pytest.raises(ValidationError):
        services.person_invite(person=invitee, invited_by=people["secretariat"].user)
    invitee.refresh_from_db()
    assert invitee.user is None


def test_no_mail_is_sent_when_the_transaction_rolls_back(
    invitee, people, smtp_server, django_capture_on_commit_callbacks
):
    class Abort(Exception):
        pass

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(Abort),
        transaction.atomic(),
    ):
        services.person_invite(person=invitee, invited_by=people["secretariat"].user)
        raise Abort
    assert callbacks == []
    assert smtp_server == []
    assert not User.objects.filter(email="claire.dubois@example.org").exists()


def test_person_page_offers_the_invitation_only_while_it_can_be_used(
    clients, people, invitee, smtp_server, django_capture_on_commit_callbacks
):
    page = reverse("stakeholders:person_detail", args=[invitee.public_id])
    assert "Invite to log in" in clients["secretariat"].get(page).content.decode()
    invite(clients["secretariat"], invitee, django_capture_on_commit_callbacks)
    content = clients["secretariat"].get(page).content.decode()
    assert "Send the invitation again" in content
    assert "Invited; has not set a password yet" in content
    member_page = reverse("stakeholders:person_detail", args=[people["member"].public_id])
    assert (
        invite_url(people["member"]) not in clients["secretariat"].get(member_page).content.decode()
    )
