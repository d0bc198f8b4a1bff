import datetime

import pytest
from django.utils import timezone

from mineaction.conftest import PERSONAS, make_organisation
from mineaction.core import audit
from mineaction.core.models import AuditEntry

ARROW = (
    '<span class="change-arrow" aria-hidden="true">→</span>'
    '<span class="visually-hidden">changed to</span>'
)
AUDIT_READERS = {"lead_authority", "administrator"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_only_lead_authority_and_administrator_see_the_audit_trail(clients, persona):
    response = clients[persona].get("/audit/")
    if persona == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == (200 if persona in AUDIT_READERS else 403)


def test_audit_trail_shows_who_when_and_each_field_old_to_new(clients, people):
    with audit.acting_as(people["secretariat"].user):
        organisation = make_organisation("Old Name Association")
        organisation.name = "New Name Association"
        organisation.save()
    response = clients["lead_authority"].get("/audit/")
    assert response.status_code == 200
    text = response.text
    assert "secretariat.officer@example.org" in text
    assert "Organisation: New Name Association" in text
    assert (
        '<span class="change-field">Name</span>: <del>Old Name Association</del> '
        + ARROW
        + " <ins>New Name Association</ins>"
    ) in text


def test_audit_trail_filters_by_record_type_actor_and_dates(clients, people):
    with audit.acting_as(people["secretariat"].user):
        make_organisation("Filtered In")
    with audit.acting_as(people["lead_authority"].user):
        make_organisation("Filtered Out")
    organisation_type = AuditEntry.objects.get(object_repr="Filtered In").content_type_id
    today = timezone.localdate().isoformat()
    response = clients["administrator"].get(
        "/audit/",
        {
            "record_type": organisation_type,
            "actor": people["secretariat"].user.pk,
            "date_from": today,
            "date_to": today,
        },
    )
    assert "Filtered In" in response.text
    assert "Filtered Out" not in response.text
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    response = clients["administrator"].get("/audit/", {"date_to": yesterday})
    assert "Filtered In" not in response.text
    assert "No changes match these filters." in response.text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"date_from": "2024-05-02", "date_to": "2024-05-01"}, "cannot be before its start"),
        ({"date_from": "yesterday"}, "Enter a valid date."),
        ({"actor": "999999"}, "Select a valid choice."),
        ({"record_type": "abc"}, "Select a valid choice."),
    ],
)
def test_bad_filters_show_the_error_and_no_entries(clients, people, query, message):
    response = clients["lead_authority"].get("/audit/", query)
    assert response.status_code == 200
    assert message in response.text
    assert "Correct the filters to see the audit trail." in response.text
    assert "<tbody>" not in response.text


def test_audit_trail_is_paginated_and_keeps_the_filters(clients, people):
    with audit.acting_as(people["secretariat"].user):
        for number in range(60):
            make_organisation(f"Organisation {number:02d}")
    actor = people["secretariat"].user.pk
    first = clients["lead_authority"].get("/audit/", {"actor": actor})
    assert first.text.count("<ins>Organisation") == 50
    assert "Page 1 of 2" in first.text
    assert f"?actor={actor}&amp;page=2" in first.text
    second = clients["lead_authority"].get("/audit/", {"actor": actor, "page": 2})
    assert second.text.count("<ins>Organisation") == 10


def test_htmx_filter_request_gets_only_the_entries_partial(clients, people):
    response = clients["lead_authority"].get("/audit/", headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="audit-entries">')
    assert "<html" not in response.text


def test_audit_trail_query_count_stays_flat_as_entries_grow(
    clients, people, django_assert_num_queries
):
    client = clients["lead_authority"]
    client.get("/audit/")
    with audit.acting_as(people["secretariat"].user):
        make_organisation("First")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as baseline:
        client.get("/audit/")
    with audit.acting_as(people["secretariat"].user):
        for number in range(20):
            make_organisation(f"More {number}")
    with django_assert_num_queries(len(baseline)):
        client.get("/audit/")


def test_audit_trail_shows_choices_booleans_and_linked_records_by_name(clients, people, ngo_org):
    from mineaction.stakeholders.models import Person

    with audit.acting_as(people["secretariat"].user):
        person = Person.objects.create(given_name="Ana", family_name="Lima", organisation=ngo_org)
        person.organisation = make_organisation("Second Home Association")
        person.sex = "female"
        person.save()
        ngo_org.is_active = False
        ngo_org.save()
    text = clients["lead_authority"].get("/audit/", {"actor": people["secretariat"].user.pk}).text
    assert (
        "<del>Clear Fields Association</del> " + ARROW + " <ins>Second Home Association</ins>"
        in text
    )
    assert "<del>Prefers not to say</del> " + ARROW + " <ins>Female</ins>" in text
    assert "<del>yes</del> " + ARROW + " <ins>no</ins>" in text
    assert '<span class="change-field">Created by</span>' not in text
    assert '<span class="change-field">Acronym</span>' not in text
