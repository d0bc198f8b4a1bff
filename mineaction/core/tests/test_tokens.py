import datetime

import pytest
from django.utils import timezone

from mineaction.conftest import PERSONAS
from mineaction.core.models import ApiToken

READERS = {p for p in PERSONAS if p not in {"anonymous", "outsider"}}


@pytest.mark.parametrize("persona", PERSONAS)
def test_members_manage_their_tokens_and_others_may_not(clients, persona):
    response = clients[persona].get("/tokens/")
    if persona == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if persona in READERS else 403)


def test_member_creates_a_token_and_sees_the_secret_exactly_once(clients, people):
    client = clients["member"]
    response = client.post("/tokens/", {"name": "Nightly import", "expires_on": ""})
    assert response.status_code == 302
    token = ApiToken.objects.get()
    assert token.user == people["member"].user
    assert token.name == "Nightly import"
    assert token.expires_at is None
    page = client.get("/tokens/")
    secret = page.context["new_secret"]
    assert secret.startswith("map_")
    assert secret in page.text
    assert ApiToken.authenticate(secret) == people["member"].user
    again = client.get("/tokens/")
    assert secret not in again.text
    assert "Nightly import" in again.text


def test_token_with_an_expiry_date_expires_at_the_end_of_that_day(clients):
    expires_on = timezone.localdate() + datetime.timedelta(days=30)
    clients["observer"].post("/tokens/", {"name": "Short", "expires_on": expires_on.isoformat()})
    token = ApiToken.objects.get()
    assert timezone.localtime(token.expires_at).date() == expires_on
    assert timezone.localtime(token.expires_at).time() == datetime.time.max


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": ""}, "This field is required."),
        ({"name": "   "}, "This field is required."),
        ({"name": "x" * 101}, "Ensure this value has at most 100 characters (it has 101)."),
        ({"name": "Past", "expires_on": "2000-01-01"}, "The expiry date must be in the future."),
        ({"name": "Bad", "expires_on": "soon"}, "Enter a valid date."),
    ],
)
def test_bad_token_input_shows_the_error_and_creates_nothing(clients, data, message):
    response = clients["member"].post("/tokens/", data)
    assert response.status_code == 200
    assert message in response.text
    assert ApiToken.objects.count() == 0


def test_list_shows_only_the_users_own_tokens(clients, people):
    ApiToken.issue(people["member"].user, "Mine")
    ApiToken.issue(people["observer"].user, "Someone else's")
    response = clients["member"].get("/tokens/")
    assert "Mine" in response.text
    assert "Someone else" not in response.text


def test_user_revokes_their_own_token(clients, people):
    token, secret = ApiToken.issue(people["member"].user, "Old script")
    response = clients["member"].post(f"/tokens/{token.public_id}/revoke/", follow=True)
    assert "The token “Old script” has been revoked." in response.text
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert ApiToken.authenticate(secret) is None


def test_revoking_someone_elses_token_is_not_found_and_changes_nothing(clients, people):
    token, secret = ApiToken.issue(people["observer"].user, "Theirs")
    response = clients["member"].post(f"/tokens/{token.public_id}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.authenticate(secret) == people["observer"].user


@pytest.mark.parametrize("persona", ["anonymous", "outsider"])
def test_people_without_membership_cannot_revoke_tokens(clients, people, persona):
    token, _secret = ApiToken.issue(people["observer"].user, "Theirs")
    response = clients[persona].post(f"/tokens/{token.public_id}/revoke/")
    assert response.status_code == (302 if persona == "anonymous" else 403)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoke_only_accepts_post(clients, people):
    token, _secret = ApiToken.issue(people["member"].user, "Mine")
    assert clients["member"].get(f"/tokens/{token.public_id}/revoke/").status_code == 405
