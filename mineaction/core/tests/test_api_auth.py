"""Authentication, errors and language of the API, shown on its simplest endpoints."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from mineaction.core.models import ApiToken, AuditEntry
from mineaction.core.tests.api_support import PROBLEM, send, token_client
from mineaction.stakeholders.models import Organisation

ORGANISATION = {"name": "Field Survey Institute", "type": "academic"}


@pytest.mark.django_db
def test_anonymous_request_gets_401_problem_with_bearer_challenge(people):
    response = Client().get("/api/v1/me")

    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json() == {
        "type": "about:blank",
        "title": "Authentication required",
        "status": 401,
        "detail": "Send a personal API token in the Authorization header (Authorization: "
        "Bearer map_...), or log in.",
    }


def test_wrong_token_gets_401_even_for_a_logged_in_session(people, clients):
    client = clients["member"]

    response = client.get("/api/v1/me", headers={"Authorization": "Bearer map_not-a-token"})

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert response.json()["detail"] == (
        "The API token is not valid: it is wrong, expired or revoked."
    )


def test_revoked_token_is_refused(people):
    token, secret = ApiToken.issue(people["member"].user, "script")
    token.revoke()

    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 401


def test_expired_token_is_refused(people):
    yesterday = timezone.now() - datetime.timedelta(days=1)
    _token, secret = ApiToken.issue(people["member"].user, "script", expires_at=yesterday)

    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 401


def test_token_authenticates_and_records_its_last_use(people):
    token, secret = ApiToken.issue(people["member"].user, "script")

    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 200
    assert response.json()["user"]["email"] == "ngo.member@example.org"
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_token_of_deactivated_user_is_refused(people):
    user = people["member"].user
    _token, secret = ApiToken.issue(user, "script")
    user.is_active = False
    user.save()

    response = Client().get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"})

    assert response.status_code == 401


def test_logged_in_session_reads_without_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["observer"].user)

    response = client.get("/api/v1/organisations")

    assert response.status_code == 200


def test_logged_in_session_cannot_write_without_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["secretariat"].user)

    response = send(client, "post", "/api/v1/organisations", ORGANISATION)

    assert response.status_code == 403
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "The CSRF token is missing or wrong. Reload the page."
    assert not Organisation.objects.filter(name=ORGANISATION["name"]).exists()


def test_logged_in_session_writes_with_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["secretariat"].user)
    client.get("/api/v1/docs")  # sets the CSRF cookie, as the docs page does in a browser
    csrf_token = client.cookies["csrftoken"].value

    response = send(
        client, "post", "/api/v1/organisations", ORGANISATION, **{"X-CSRFToken": csrf_token}
    )

    assert response.status_code == 201


def test_privileged_session_without_two_factor_is_refused(people):
    people["secretariat"].user.authenticator_set.all().delete()
    client = Client()
    client.force_login(people["secretariat"].user)

    response = client.get("/api/v1/me")

    assert response.status_code == 403
    assert response.json()["detail"] == "Set up two-factor authentication before using the API."


def test_token_write_records_the_token_owner_in_the_audit_trail(people):
    client = token_client(people, "secretariat")

    response = send(client, "post", "/api/v1/organisations", ORGANISATION)

    assert response.status_code == 201
    organisation = Organisation.objects.get(name=ORGANISATION["name"])
    assert organisation.created_by == people["secretariat"].user
    entry = AuditEntry.objects.get(object_public_id=organisation.public_id)
    assert entry.actor == people["secretariat"].user
    assert entry.action == AuditEntry.Action.CREATE


def test_unknown_api_address_gets_404_problem(people):
    response = token_client(people, "member").get("/api/v1/no-such-thing")

    assert response.status_code == 404
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Not found"


def test_wrong_method_gets_405_problem_with_allowed_methods(people):
    response = token_client(people, "member").delete("/api/v1/organisations")

    assert response.status_code == 405
    assert response["Content-Type"] == PROBLEM
    assert sorted(response["Allow"].split(", ")) == ["GET", "POST"]
    assert response.json()["title"] == "Method not allowed"


def test_body_that_is_not_json_gets_400_problem(people):
    client = token_client(people, "secretariat")

    response = client.post("/api/v1/organisations", data="{name", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {
        "type": "about:blank",
        "title": "Bad request",
        "status": 400,
        "detail": "The request body is not valid JSON.",
    }


def test_unknown_field_and_wrong_type_get_400_with_field_errors(people):
    client = token_client(people, "secretariat")

    response = send(
        client, "post", "/api/v1/organisations", {"name": 12, "type": "academic", "colour": "red"}
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "name": ["Enter a text value."],
        "colour": ["This field is not recognised."],
    }
    assert Organisation.objects.count() == 4


def test_bad_pagination_gets_400_with_djangos_messages(people):
    client = token_client(people, "member")

    response = client.get("/api/v1/organisations?page=0&page_size=x")

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "page": ["Ensure this value is greater than or equal to 1."],
        "page_size": ["Enter a whole number."],
    }


def test_bad_filter_gets_400_with_the_list_pages_message(people):
    client = token_client(people, "member")

    response = client.get("/api/v1/organisations?type=castle", headers={"Accept-Language": "fr"})

    assert response.status_code == 400
    assert response.json()["errors"] == {
        "type": ["Sélectionnez un choix valide. castle n’en fait pas partie."]
    }


def test_validation_errors_follow_accept_language(people):
    client = token_client(people, "secretariat")

    response = send(
        client, "post", "/api/v1/organisations", {"type": "academic"}, **{"Accept-Language": "fr"}
    )

    assert response.status_code == 422
    assert response["Content-Language"] == "fr"
    body = response.json()
    assert set(body) == {"type", "title", "status", "detail", "errors"}
    assert body["status"] == 422
    assert body["errors"] == {"name": ["Ce champ est obligatoire."]}


def test_validation_errors_follow_the_users_language_when_the_client_sends_none(people):
    user = people["secretariat"].user
    user.language = "fr"
    user.save()
    client = token_client(people, "secretariat")

    response = send(client, "post", "/api/v1/organisations", {"type": "academic"})

    assert response["Content-Language"] == "fr"
    assert response.json()["errors"] == {"name": ["Ce champ est obligatoire."]}


def test_accept_language_wins_over_the_users_language(people):
    user = people["secretariat"].user
    user.language = "fr"
    user.save()
    client = token_client(people, "secretariat")

    response = send(
        client, "post", "/api/v1/organisations", {"type": "academic"}, **{"Accept-Language": "es"}
    )

    assert response["Content-Language"] == "es"
    assert response.json()["errors"] == {"name": ["Este campo es obligatorio."]}
