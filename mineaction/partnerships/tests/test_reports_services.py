"""Progress reports: drafts saved all or nothing, submission locks, corrections are new
versions and the latest submitted version counts, and the secretariat's view of who has and has
not reported."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from mineaction.partnerships.models import IndicatorValue, ProgressReport, ReportStatus
from mineaction.partnerships.services import indicators as indicator_services
from mineaction.partnerships.services import reports as services
from mineaction.partnerships.tests.reports_support import (
    D,
    cell,
    make_indicator,
    make_partnership,
    make_report,
    table_counts,
)

d = datetime.date
START, END = d(2024, 1, 1), d(2024, 6, 30)


@pytest.fixture
def partnership(people):
    return make_partnership()


@pytest.fixture
def indicators(partnership):
    return [
        make_indicator(partnership, name="People reached"),
        make_indicator(partnership, name="Schools visited", by_sex_and_age=False),
    ]


@pytest.fixture
def draft(partnership):
    return services.report_create(partnership=partnership, period_start=START, today=d(2024, 7, 2))


def entry(indicator, total, parts=(), note=""):
    return {"indicator": indicator, "total": D(total), "parts": list(parts), "note": note}


def test_a_draft_is_started_for_a_period_that_has_begun(partnership):
    report = services.report_create(
        partnership=partnership, period_start=d(2024, 7, 1), today=d(2024, 7, 1)
    )

    assert (report.period_start, report.period_end, report.due_on) == (
        d(2024, 7, 1),
        d(2024, 12, 31),
        d(2025, 1, 30),
    )
    assert (report.version, report.status) == (1, ReportStatus.DRAFT)


def test_a_period_not_yet_begun_or_already_reported_is_refused(partnership, draft):
    before = table_counts()
    for start in (START, d(2025, 1, 1), d(2024, 2, 1)):
        with pytest.raises(ValidationError) as refused:
            services.report_create(partnership=partnership, period_start=start, today=d(2024, 7, 2))
        assert refused.value.message_dict == {
            "period": ["Choose a period that has begun and has no report yet."]
        }
    assert table_counts() == before


def test_a_draft_saves_its_narrative_and_values(draft, indicators):
    people, schools = indicators
    services.report_update(
        report=draft,
        narrative="  Teams deployed.  ",
        values=[
            entry(people, "100", [cell("60", sex="female"), cell("40", sex="male")]),
            entry(schools, "12", note="Two more than planned"),
        ],
    )

    draft.refresh_from_db()
    assert draft.narrative == "Teams deployed."
    values = {v.indicator.name: v for v in draft.values.select_related("indicator")}
    assert (values["People reached"].total, values["People reached"].parts.count()) == (D("100"), 2)
    assert (values["Schools visited"].total, values["Schools visited"].note) == (
        D("12"),
        "Two more than planned",
    )
    assert (values["Schools visited"].period_start, values["Schools visited"].period_end) == (
        START,
        END,
    )


def test_one_bad_value_refuses_the_whole_save_with_every_error(draft, indicators):
    people, schools = indicators
    services.report_update(report=draft, narrative="First", values=[entry(schools, "3")])
    before = table_counts()

    with pytest.raises(ValidationError) as refused:
        services.report_update(
            report=draft,
            narrative="Second",
            values=[
                entry(schools, "5"),
                entry(people, "100", [cell("70", sex="female"), cell("40", sex="male")]),
            ],
        )

    assert refused.value.message_dict == {
        f"values.{people.public_id}": ["The parts add up to 110 but the total is 100."]
    }
    assert table_counts() == before
    draft.refresh_from_db()
    assert draft.narrative == "First"
    assert IndicatorValue.objects.get(indicator=schools).total == D("3")


def test_a_value_left_empty_removes_the_earlier_one(draft, indicators):
    people, schools = indicators
    services.report_update(report=draft, values=[entry(schools, "3")])
    services.report_update(
        report=draft, values=[{"indicator": schools, "total": None, "parts": []}]
    )

    assert draft.values.count() == 0


def test_a_save_by_someone_else_in_between_is_refused(draft, indicators):
    stamp = draft.updated_at.isoformat()
    services.report_update(report=draft, narrative="Theirs")

    with pytest.raises(ValidationError) as refused:
        services.report_update(report=draft, narrative="Mine", stamp=stamp)

    assert list(refused.value.message_dict) == ["stamp"]
    draft.refresh_from_db()
    assert draft.narrative == "Theirs"


def test_submitting_locks_the_report(draft, indicators, people):
    services.report_update(report=draft, values=[entry(indicators[1], "3")])
    moment = datetime.datetime(2024, 7, 20, 8, tzinfo=datetime.UTC)

    services.report_submit(report=draft, user=people["member"].user, now=moment)

    draft.refresh_from_db()
    assert (draft.status, draft.submitted_at, draft.submitted_by) == (
        ReportStatus.SUBMITTED,
        moment,
        people["member"],
    )
    before = table_counts()
    with pytest.raises(ValidationError) as refused:
        services.report_update(report=draft, narrative="Changed", values=[])
    assert refused.value.code == "locked"
    assert refused.value.messages == [
        "This report was submitted on July 20, 2024 and is locked. To change it, start a "
        "correction."
    ]
    with pytest.raises(ValidationError):
        services.report_submit(report=draft, user=people["member"].user)
    assert table_counts() == before


def test_an_empty_draft_cannot_be_submitted(draft, people):
    with pytest.raises(ValidationError) as refused:
        services.report_submit(report=draft, user=people["member"].user)

    assert refused.value.messages == [
        "Write the narrative or give at least one value before submitting."
    ]
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


def test_a_correction_copies_the_submitted_version_and_counts_once_submitted(
    draft, indicators, people
):
    people_reached, schools = indicators
    services.report_update(
        report=draft,
        narrative="As first reported",
        values=[
            entry(people_reached, "100", [cell("60", sex="female"), cell("40", sex="male")]),
            entry(schools, "12"),
        ],
    )
    services.report_submit(report=draft, user=people["member"].user)

    correction = services.report_correct(report=draft)

    assert (correction.version, correction.status, correction.supersedes) == (
        2,
        ReportStatus.DRAFT,
        draft,
    )
    assert correction.narrative == "As first reported"
    copied = {v.indicator_id: v for v in correction.values.prefetch_related("parts")}
    assert copied[people_reached.pk].total == D("100")
    assert sorted(p.amount for p in copied[people_reached.pk].parts.all()) == [D("40"), D("60")]
    # Until the correction is submitted, the first version counts.
    assert [v.total for v in indicator_services.indicator_series(people_reached)] == [D("100")]

    services.report_update(
        report=correction,
        values=[entry(people_reached, "90", [cell("50", sex="female"), cell("40", sex="male")])],
    )
    services.report_submit(report=correction, user=people["lead_donor"].user)

    series = indicator_services.indicator_series(people_reached)
    assert [(v.total, v.progress_report.version) for v in series] == [(D("90"), 2)]
    assert services.counting_version(list(services.report_versions(draft))) == correction


def test_only_the_latest_submitted_version_is_corrected(draft, indicators, people):
    services.report_update(report=draft, narrative="Done")
    with pytest.raises(ValidationError) as refused:
        services.report_correct(report=draft)
    assert refused.value.messages == [
        "Only a submitted report is corrected. Edit this draft instead."
    ]

    services.report_submit(report=draft, user=people["member"].user)
    services.report_correct(report=draft)
    before = table_counts()
    with pytest.raises(ValidationError) as refused:
        services.report_correct(report=draft)
    assert refused.value.messages == ["Only the latest version is corrected: version 2 is newer."]
    assert table_counts() == before


# The secretariat's view --------------------------------------------------------------------------


def statuses(rows):
    return [(row.start, row.stage, row.timing) for row in rows]


def test_each_period_begun_has_its_status(partnership):
    today = d(2025, 8, 20)
    first = make_report(partnership, d(2024, 1, 1), d(2024, 6, 30), submitted=True)  # Jul 10
    late = make_report(partnership, d(2024, 7, 1), d(2024, 12, 31), submitted=True)
    late.submitted_at = datetime.datetime(2025, 3, 1, 9, tzinfo=datetime.UTC)  # due Jan 30
    late.save()
    make_report(partnership, d(2025, 1, 1), d(2025, 6, 30))  # draft, due Jul 30: overdue

    rows = services.period_statuses([partnership], today=today)

    assert statuses(rows) == [
        (d(2025, 7, 1), "not_started", "not_due"),
        (d(2025, 1, 1), "draft", "overdue"),
        (d(2024, 7, 1), "submitted", "late"),
        (d(2024, 1, 1), "submitted", "on_time"),
    ]
    assert rows[3].counting == first
    assert services.status_counts(rows) == {
        "submitted": 2,
        "on_time": 1,
        "late": 1,
        "draft": 1,
        "not_started": 1,
        "due_soon": 0,
        "overdue": 1,
    }


def test_a_report_due_within_two_weeks_is_due_soon(partnership):
    rows = services.period_statuses([partnership], today=d(2024, 7, 20))  # due Jul 30

    assert statuses(rows) == [
        (d(2024, 7, 1), "not_started", "not_due"),
        (d(2024, 1, 1), "not_started", "due_soon"),
    ]


def test_a_correction_submitted_late_does_not_make_the_period_late(partnership, people):
    report = make_report(partnership, START, END, submitted=True)  # Jul 10, due Jul 30
    correction = services.report_correct(report=report)
    services.report_submit(
        report=correction,
        user=people["member"].user,
        now=datetime.datetime(2024, 12, 1, tzinfo=datetime.UTC),
    )

    row = services.period_statuses([partnership], today=d(2024, 12, 2))[-1]

    assert (row.stage, row.timing, row.counting) == ("submitted", "on_time", correction)
    assert ProgressReport.objects.count() == 2
