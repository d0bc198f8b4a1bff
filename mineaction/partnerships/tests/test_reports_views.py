"""Progress report pages: who starts, writes, submits and corrects a partnership's reports, the
draft saved all or nothing, the lock after submission, and the secretariat's view of who has and
has not reported."""

import csv
import datetime
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from mineaction.conftest import PERSONAS
from mineaction.partnerships.models import IndicatorValue, ProgressReport, ReportStatus
from mineaction.partnerships.services import reports as services
from mineaction.partnerships.tests.reports_support import (
    WRITERS,
    D,
    assert_outcome,
    cell,
    expected_for,
    make_indicator,
    make_partnership,
    make_report,
    queries_for,
    table_counts,
)

d = datetime.date
STATUS_URL = reverse("partnerships:report_status")


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


def url(name, record):
    return reverse(f"partnerships:{name}", args=[record.public_id])


def edit_data(report, forms, *, narrative="Teams deployed in two districts.", **values):
    """The draft form: its stamp, narrative, and the value fields of each indicator form."""
    data = {"stamp": report.updated_at.isoformat(), "narrative": narrative}
    for form in forms:
        prefix = form.prefix
        for name, value in values.get(form.indicator.name, {}).items():
            data[f"{prefix}-{name}"] = value
    return data


# Starting a report -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_parties_and_managers_start_a_report(clients, partnership, persona):
    expected = expected_for(persona, allowed=200, allowed_for=WRITERS, outsider=404)
    assert_outcome(clients[persona].get(url("report_create", partnership)), expected)


def test_a_partner_cannot_report_for_another_partnership(clients, people):
    theirs = make_partnership("Donor partnership", partners=["Kingdom of Examplia"])
    before = table_counts()

    response = clients["member"].post(url("report_create", theirs), {"period": "2024-01-01"})

    assert response.status_code == 403
    assert table_counts() == before
    assert clients["lead_donor"].get(url("report_create", theirs)).status_code == 200


def test_a_report_is_started_for_a_period_and_opens_the_draft(clients, partnership):
    page = clients["member"].get(url("report_create", partnership), {"period": "2024-07-01"})
    form = page.context["form"]
    assert form.initial["period"] == "2024-07-01"
    assert form.fields["period"].choices[-1][0] == "2024-01-01"

    response = clients["member"].post(url("report_create", partnership), {"period": "2024-07-01"})

    report = ProgressReport.objects.get()
    assert response.status_code == 302
    assert response.url == url("report_edit", report)
    assert (report.period_start, report.period_end, report.status) == (
        d(2024, 7, 1),
        d(2024, 12, 31),
        ReportStatus.DRAFT,
    )


def test_a_period_not_offered_is_refused(clients, partnership, draft):
    before = table_counts()
    for period in ("2024-01-01", "2099-01-01", "nonsense", ""):
        response = clients["member"].post(url("report_create", partnership), {"period": period})
        assert response.status_code == 200
        assert response.context["form"].errors["period"]
    assert table_counts() == before


# Writing the draft -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_draft_is_written_by_the_parties_and_managers(clients, draft, persona):
    expected = expected_for(persona, allowed=200, allowed_for=WRITERS, outsider=404)
    assert_outcome(clients[persona].get(url("report_edit", draft)), expected)


def test_the_draft_has_a_value_form_per_indicator_of_the_partnership(clients, draft):
    forms = clients["member"].get(url("report_edit", draft)).context["value_forms"]

    assert [form.indicator.name for form in forms] == ["People reached", "Schools visited"]
    assert [len(form.groups) for form in forms] == [3, 0]


def test_the_draft_saves_the_narrative_and_the_values_with_their_breakdown(clients, draft):
    forms = clients["member"].get(url("report_edit", draft)).context["value_forms"]
    data = edit_data(
        draft,
        forms,
        **{
            "People reached": {"total": "100", "g1_c0": "55", "g1_c1": "45"},
            "Schools visited": {"total": "12", "note": "Two more than planned"},
        },
    )

    response = clients["member"].post(url("report_edit", draft), data)

    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.narrative == "Teams deployed in two districts."
    people = IndicatorValue.objects.get(indicator__name="People reached")
    assert people.total == D("100")
    assert sorted((p.categories["sex"], p.amount) for p in people.parts.all()) == [
        ("female", D("55")),
        ("male", D("45")),
    ]
    edit = clients["member"].get(url("report_edit", draft))
    assert edit.context["value_forms"][0].groups[1].open is True


def test_one_bad_value_refuses_the_whole_draft_and_shows_every_error(clients, draft):
    forms = clients["member"].get(url("report_edit", draft)).context["value_forms"]
    data = edit_data(
        draft,
        forms,
        **{
            "People reached": {"total": "100", **{f"g0_c{i}": "20" for i in range(6)}},
            "Schools visited": {"total": "-3"},
        },
    )
    before = table_counts()

    response = clients["member"].post(url("report_edit", draft), data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in page
    assert "The parts add up to 120 but the total is 100." in page
    assert "The total cannot be negative." in page
    assert table_counts() == before
    draft.refresh_from_db()
    assert draft.narrative == ""


def test_a_save_by_someone_else_since_the_page_was_opened_is_refused(clients, draft):
    forms = clients["member"].get(url("report_edit", draft)).context["value_forms"]
    data = edit_data(draft, forms, **{"Schools visited": {"total": "4"}})
    services.report_update(report=draft, narrative="Written by the donor meanwhile")

    response = clients["member"].post(url("report_edit", draft), data)

    assert response.status_code == 200
    assert "Someone else saved this report after you opened it." in response.content.decode()
    draft.refresh_from_db()
    assert draft.narrative == "Written by the donor meanwhile"
    assert IndicatorValue.objects.count() == 0


def test_an_empty_post_changes_nothing(clients, draft):
    before = table_counts()
    response = clients["member"].post(url("report_edit", draft), {})

    assert response.status_code == 200
    assert table_counts() == before


# Submitting and the lock -------------------------------------------------------------------------


def test_submitting_needs_confirmation_then_locks_the_report(clients, people, draft, indicators):
    services.report_update(report=draft, narrative="Done.")
    page = clients["member"].get(url("report_submit", draft))
    assert [i.name for i in page.context["missing"]] == ["People reached", "Schools visited"]

    unconfirmed = clients["member"].post(url("report_submit", draft), {})
    assert unconfirmed.status_code == 200
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT

    response = clients["member"].post(url("report_submit", draft), {"confirm": "on"})

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.submitted_by) == (ReportStatus.SUBMITTED, people["member"])
    locked = clients["member"].get(url("report_edit", draft), follow=True)
    assert locked.redirect_chain == [(url("report_detail", draft), 302)]
    assert "is locked. To change it, start a correction." in locked.content.decode()


def test_a_locked_report_refuses_a_posted_change(clients, draft):
    services.report_update(report=draft, narrative="Done.")
    services.report_submit(report=draft, user=None)
    before = table_counts()

    response = clients["member"].post(
        url("report_edit", draft), {"stamp": "x", "narrative": "Changed after the fact"}
    )

    assert response.status_code == 302
    assert table_counts() == before
    draft.refresh_from_db()
    assert draft.narrative == "Done."


def test_an_empty_report_cannot_be_submitted(clients, draft):
    response = clients["member"].post(url("report_submit", draft), {"confirm": "on"})

    assert response.status_code == 200
    assert "Write the narrative or give at least one value before submitting." in (
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


@pytest.mark.parametrize("persona", ["observer", "outsider"])
def test_readers_without_the_right_cannot_submit(clients, draft, persona):
    services.report_update(report=draft, narrative="Done.")
    response = clients[persona].post(url("report_submit", draft), {"confirm": "on"})

    assert response.status_code == (403 if persona == "observer" else 404)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


# Corrections -------------------------------------------------------------------------------------


def test_a_correction_is_a_new_draft_version_that_replaces_the_report_once_submitted(
    clients, partnership, draft, indicators
):
    services.report_update(
        report=draft,
        narrative="First",
        values=[{"indicator": indicators[1], "total": D("12"), "parts": []}],
    )
    services.report_submit(report=draft, user=None)

    response = clients["lead_donor"].post(url("report_correct", draft), {"confirm": "on"})

    correction = ProgressReport.objects.get(version=2)
    assert response.status_code == 302
    assert response.url == url("report_edit", correction)
    assert (correction.supersedes, correction.narrative) == (draft, "First")
    assert correction.values.get().total == D("12")

    detail = clients["observer"].get(url("report_detail", draft))
    assert [v.version for v in detail.context["versions"]] == [2, 1]
    assert detail.context["counting"] == draft
    assert detail.context["can_correct"] is False


def test_an_earlier_version_cannot_be_corrected(clients, partnership, draft):
    submitted = make_report(partnership, d(2024, 7, 1), d(2024, 12, 31), submitted=True)
    services.report_correct(report=submitted)
    before = table_counts()

    response = clients["member"].post(url("report_correct", submitted), {"confirm": "on"})

    assert response.status_code == 200
    assert "Only the latest version is corrected: version 2 is newer." in response.content.decode()
    assert table_counts() == before


# The report's page -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_reader_sees_a_report(clients, draft, persona):
    expected = expected_for(persona, allowed=200, allowed_for=["observer", *WRITERS], outsider=404)
    assert_outcome(clients[persona].get(url("report_detail", draft)), expected)


def test_the_report_shows_values_with_their_breakdown_and_who_submitted(
    clients, people, draft, indicators
):
    services.report_update(
        report=draft,
        narrative="Teams deployed.",
        values=[
            {
                "indicator": indicators[0],
                "total": D("100"),
                "parts": [cell("30", sex="female", age="under_18")],
            }
        ],
    )
    services.report_submit(report=draft, user=people["lead_donor"].user)

    response = clients["observer"].get(url("report_detail", draft))
    page = response.content.decode()

    assert "Partially disaggregated" in page
    assert "Female, Under 18: 30" in page
    assert "No value in this report." in page
    assert "by Donor Focal" in page
    assert "Edit the draft" not in page and "Correct this report" not in page
    assert response.context["counting"] == draft


# The secretariat's view --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_reader_sees_who_has_reported(clients, partnership, persona):
    expected = expected_for(persona, allowed=200, allowed_for=["observer", *WRITERS], outsider=403)
    assert_outcome(clients[persona].get(STATUS_URL), expected)


@pytest.fixture
def history(partnership):
    """Two years of a partnership: on time, late, a draft, nothing; and another partnership."""
    make_report(partnership, d(2024, 1, 1), d(2024, 6, 30), submitted=True)
    late = make_report(partnership, d(2024, 7, 1), d(2024, 12, 31), submitted=True)
    late.submitted_at = datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    late.save()
    make_report(partnership, d(2025, 1, 1), d(2025, 6, 30))
    return make_partnership("Victim assistance partnership", partners=["Kingdom of Examplia"])


def test_the_view_lists_each_period_with_its_status(clients, partnership, history):
    response = clients["observer"].get(STATUS_URL, {"partnership": partnership.public_id})
    rows = response.context["page"].object_list
    today = timezone.localdate()
    begun = len(services.report_periods(partnership, today))

    assert len(rows) == begun
    assert [(row.start, row.stage, row.timing) for row in rows[-3:]] == [
        (d(2025, 1, 1), "draft", "overdue"),
        (d(2024, 7, 1), "submitted", "late"),
        (d(2024, 1, 1), "submitted", "on_time"),
    ]


def test_the_view_filters_by_status_and_party(clients, partnership, history):
    late = clients["member"].get(STATUS_URL, {"status": "late"}).context["page"].object_list
    assert [(row.partnership, row.start) for row in late] == [(partnership, d(2024, 7, 1))]

    clear_fields = partnership.partners.get(name="Clear Fields Association")
    rows = clients["member"].get(STATUS_URL, {"party": clear_fields.public_id}).context["page"]
    assert {row.partnership for row in rows.object_list} == {partnership}

    bad = clients["member"].get(STATUS_URL, {"status": "lost"})
    assert bad.status_code == 200
    assert "Some filters are not valid and were ignored" in bad.content.decode()


def test_the_view_has_json_and_csv_twins(clients, partnership, history):
    body = json.loads(
        clients["member"].get(STATUS_URL, {"format": "json", "status": "on_time"}).content
    )
    assert [
        (p["partnership"]["title"], p["period_start"], p["stage"], p["timing"])
        for p in body["periods"]
    ] == [("Clearance partnership", "2024-01-01", "submitted", "on_time")]
    assert body["counts"]["late"] == 1

    response = clients["member"].get(STATUS_URL, {"format": "csv", "status": "late"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Partnership", "For the State", "Period from"]
    assert rows[1][:7] == [
        "Clearance partnership",
        "Testland Mine Action Centre",
        "2024-07-01",
        "2024-12-31",
        "2025-01-30",
        "Submitted",
        "Late",
    ]
    assert clients["member"].get(STATUS_URL, {"format": "pdf"}).status_code == 400


def test_the_view_makes_the_same_number_of_queries_however_many_reports(
    clients, partnership, history, django_assert_num_queries
):
    baseline = queries_for(clients["secretariat"], STATUS_URL)
    for number in range(4):
        other = make_partnership(f"Partnership {number}")
        make_report(other, d(2024, 1, 1), d(2024, 6, 30), submitted=True)
        make_report(other, d(2024, 7, 1), d(2024, 12, 31))
    with django_assert_num_queries(baseline):
        clients["secretariat"].get(STATUS_URL)


def test_the_view_offers_to_start_the_reports_the_reader_may_write(clients, partnership, history):
    start = reverse("partnerships:report_create", args=[partnership.public_id])
    other = reverse("partnerships:report_create", args=[history.public_id])

    member = clients["member"].get(STATUS_URL).content.decode()
    observer = clients["observer"].get(STATUS_URL).content.decode()
    donor = clients["lead_donor"].get(STATUS_URL).content.decode()

    assert f"{start}?period=2025-07-01" in member
    assert other not in member
    assert f"{other}?period=2024-01-01" in donor
    assert "Start the report" not in observer
