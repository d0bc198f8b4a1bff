"""The progress reports API: start a draft, change it all or nothing, submit (then locked: 409),
correct (a new version), the list and the secretariat's view."""

import datetime

import pytest

from mineaction.conftest import PERSONAS
from mineaction.partnerships.models import ProgressReport, ReportStatus
from mineaction.partnerships.services import reports as services
from mineaction.partnerships.tests.reports_support import (
    WRITERS,
    D,
    expected_for,
    make_indicator,
    make_partnership,
    make_report,
    table_counts,
)

d = datetime.date
LIST_URL = "/api/v1/progress-reports"


@pytest.fixture
def partnership(people):
    return make_partnership(starts_on=d(2024, 1, 1), ends_on=d(2030, 12, 31))


@pytest.fixture
def indicators(partnership):
    return [
        make_indicator(partnership, name="People reached"),
        make_indicator(partnership, name="Schools visited", by_sex_and_age=False),
    ]


@pytest.fixture
def draft(partnership, indicators):
    return make_report(partnership, d(2024, 1, 1), d(2024, 6, 30))


def report_url(report, suffix=""):
    return f"{LIST_URL}/{report.public_id}{suffix}"


def create_url(partnership):
    return f"/api/v1/partnerships/{partnership.public_id}/progress-reports"


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_parties_and_managers_start_a_report(clients, partnership, persona):
    response = post(clients[persona], create_url(partnership), {"period_start": "2024-07-01"})
    expected = expected_for(persona, allowed=201, allowed_for=WRITERS, outsider=404, anonymous=401)
    assert response.status_code == expected


def test_a_started_report_is_an_empty_draft_of_its_period(clients, partnership):
    body = post(clients["member"], create_url(partnership), {"period_start": "2024-07-01"}).json()

    assert (body["period_start"], body["period_end"], body["due_on"], body["status"]) == (
        "2024-07-01",
        "2024-12-31",
        "2025-01-30",
        "draft",
    )
    assert (body["version"], body["values"], body["counting"]) == (1, [], None)


def test_a_partner_cannot_start_another_partnerships_report(clients, people):
    theirs = make_partnership("Donor partnership", partners=["Kingdom of Examplia"])

    response = post(clients["member"], create_url(theirs), {"period_start": "2024-01-01"})

    assert response.status_code == 403
    assert ProgressReport.objects.count() == 0


def test_a_period_that_is_not_offered_is_refused(clients, partnership):
    for period_start in ("2024-02-01", "2099-01-01", "soon"):
        response = post(clients["member"], create_url(partnership), {"period_start": period_start})
        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["period_start"]
    assert ProgressReport.objects.count() == 0


def value(indicator, total, parts=()):
    return {"indicator": str(indicator.public_id), "total": total, "parts": list(parts)}


def test_a_draft_is_changed_with_values_and_their_breakdown(clients, draft, indicators):
    people, schools = indicators
    response = patch(
        clients["lead_donor"],
        report_url(draft),
        {
            "narrative": "Teams deployed.",
            "values": [
                value(
                    people,
                    "100",
                    [
                        {"categories": {"sex": "female"}, "amount": "55"},
                        {"categories": {"sex": "male"}, "amount": 45},
                    ],
                ),
                value(schools, 12),
            ],
        },
    )

    body = response.json()
    assert response.status_code == 200
    assert body["narrative"] == "Teams deployed."
    assert [
        (v["indicator"]["title"], v["total"], v["breakdown"]["status"]) for v in body["values"]
    ] == [
        ("People reached", "100.00", "full"),
        ("Schools visited", "12.00", "none"),
    ]


def test_one_bad_value_refuses_the_whole_change(clients, draft, indicators):
    people, schools = indicators
    before = table_counts()
    response = patch(
        clients["member"],
        report_url(draft),
        {
            "narrative": "Changed",
            "values": [
                value(schools, "5"),
                value(people, "100", [{"categories": {"sex": "female"}, "amount": "120"}]),
            ],
        },
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        f"values.{people.public_id}": ["The parts given add up to 120, more than the total of 100."]
    }
    assert table_counts() == before


def test_an_unknown_indicator_is_refused(clients, draft, people):
    other = make_indicator(make_partnership("Victim assistance"), name="Survivors assisted")

    response = patch(
        clients["member"],
        report_url(draft),
        {"values": [value(other, "1"), {"indicator": "nope", "total": "1"}]},
    )

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "values.1.indicator": ["There is no indicator with this id."]
    }


def test_a_submitted_report_is_locked(clients, draft, indicators, people):
    patch(clients["member"], report_url(draft), {"narrative": "Done."})

    submitted = post(clients["member"], report_url(draft, "/submit"))
    assert submitted.status_code == 200
    body = submitted.json()
    assert body["status"] == "submitted"
    assert body["submitted_by"]["public_id"] == str(people["member"].public_id)
    assert body["counting"] == {"public_id": str(draft.public_id), "version": 1}

    before = table_counts()
    changed = patch(clients["member"], report_url(draft), {"narrative": "After the fact"})
    assert changed.status_code == 409
    assert "is locked. To change it, start a correction." in changed.json()["detail"]
    assert post(clients["member"], report_url(draft, "/submit")).status_code == 409
    assert table_counts() == before


def test_an_empty_draft_is_not_submitted(clients, draft):
    response = post(clients["member"], report_url(draft, "/submit"))

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "__all__": ["Write the narrative or give at least one value before submitting."]
    }


def test_a_correction_is_a_new_version_and_counts_once_submitted(clients, draft, indicators):
    services.report_update(
        report=draft,
        narrative="First",
        values=[{"indicator": indicators[1], "total": D("12"), "parts": []}],
    )
    services.report_submit(report=draft, user=None)

    response = post(clients["member"], report_url(draft, "/correct"))

    body = response.json()
    assert response.status_code == 201
    assert (body["version"], body["status"], body["supersedes"]["version"]) == (2, "draft", 1)
    assert [v["total"] for v in body["values"]] == ["12.00"]
    assert body["counting"]["version"] == 1
    correction = ProgressReport.objects.get(version=2)

    assert post(clients["member"], report_url(draft, "/correct")).status_code == 409
    post(clients["member"], report_url(correction, "/submit"))
    detail = clients["observer"].get(report_url(draft)).json()
    assert detail["counting"] == {"public_id": str(correction.public_id), "version": 2}


def test_a_draft_is_not_corrected(clients, draft):
    response = post(clients["member"], report_url(draft, "/correct"))

    assert response.status_code == 409
    assert (
        response.json()["detail"]
        == "Only a submitted report is corrected. Edit this draft instead."
    )


@pytest.mark.parametrize("persona", ["observer", "outsider"])
def test_readers_without_the_right_cannot_change_a_report(clients, draft, persona):
    response = patch(clients[persona], report_url(draft), {"narrative": "Mine"})

    assert response.status_code == (403 if persona == "observer" else 404)
    draft.refresh_from_db()
    assert (draft.narrative, draft.status) == ("", ReportStatus.DRAFT)


def test_the_list_filters_by_partnership_and_status(clients, partnership, draft, people):
    other = make_partnership("Victim assistance")
    make_report(other, d(2024, 1, 1), d(2024, 6, 30), submitted=True)

    body = clients["observer"].get(LIST_URL, {"status": "submitted"}).json()
    assert [r["partnership"]["title"] for r in body["results"]] == ["Victim assistance"]
    body = clients["observer"].get(LIST_URL, {"partnership": str(partnership.public_id)}).json()
    assert [r["public_id"] for r in body["results"]] == [str(draft.public_id)]
    assert clients["observer"].get(LIST_URL, {"status": "lost"}).status_code == 400


def test_the_status_view_says_who_has_reported(clients, partnership, people):
    make_report(partnership, d(2024, 1, 1), d(2024, 6, 30), submitted=True)

    body = clients["observer"].get(f"{LIST_URL}/status", {"status": "on_time"}).json()

    assert [
        (p["partnership"]["title"], p["period_start"], p["stage"]) for p in body["periods"]
    ] == [("Clearance partnership", "2024-01-01", "submitted")]
    assert body["counts"]["on_time"] == 1
    assert clients["outsider"].get(f"{LIST_URL}/status").status_code == 403
