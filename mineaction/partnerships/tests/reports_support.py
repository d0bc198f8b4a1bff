"""Records and helpers shared by the indicator, progress report and reminder tests."""

import datetime
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from mineaction.core.models import AuditEntry, OutboundEmail
from mineaction.partnerships.models import (
    ActionPlan,
    Indicator,
    IndicatorDimension,
    IndicatorValue,
    IndicatorValuePart,
    Partnership,
    PlanAction,
    PlanSection,
    ProgressReport,
    ReportReminder,
    ReportStatus,
)
from mineaction.partnerships.services import indicators as indicator_services
from mineaction.stakeholders.models import Organisation

LOGIN = "login"
MANAGERS = ["secretariat", "lead_authority", "administrator"]
# Those who speak for a party to the default partnership (the State's centre, the member
# persona's NGO and the lead donor), and the managers.
WRITERS = ["member", "lead_donor", "data_manager", *MANAGERS]
READERS = ["observer", *WRITERS]


def D(text):
    return Decimal(text)


def organisation(name):
    return Organisation.objects.get(name=name)


def make_partnership(
    title="Clearance partnership",
    *,
    starts_on=datetime.date(2024, 1, 1),
    ends_on=datetime.date(2027, 12, 31),
    frequency="half_yearly",
    due_days=30,
    partners=("Clear Fields Association", "Kingdom of Examplia"),
):
    """A partnership of the State's centre with (by default) the member persona's and the lead
    donor's organisations."""
    partnership = Partnership.objects.create(
        title=title,
        purpose="Clear the eastern province together.",
        state_party=organisation("Testland Mine Action Centre"),
        starts_on=starts_on,
        ends_on=ends_on,
        reporting_frequency=frequency,
        report_due_days=due_days,
    )
    partnership.partners.set([organisation(name) for name in partners])
    return partnership


def make_plan_action(code="test-plan", first_year=2020, last_year=2024):
    plan = ActionPlan.objects.create(
        code=code, title=f"Plan {code}", first_year=first_year, last_year=last_year
    )
    section = PlanSection.objects.create(action_plan=plan, number="I", order=1, title="Clearance")
    return PlanAction.objects.create(section=section, number=21, short_title="Partnerships")


def make_indicator(
    partnership=None, *, by_sex_and_age=True, dimensions=(), name="People reached", **links
):
    return indicator_services.indicator_save(
        name=name,
        unit="people",
        baseline=D("100"),
        baseline_date=datetime.date(2023, 12, 31),
        target=D("1000"),
        target_date=datetime.date(2027, 12, 31),
        partnership=partnership,
        by_sex_and_age=by_sex_and_age,
        dimensions=dimensions,
        **links,
    )


def cell(amount, **categories):
    return {"categories": categories, "amount": D(amount)}


def sex_age_parts(amounts):
    """The six cells of sex × age band from [[female under 18, 18-59, 60+], [male ...]]."""
    ages = ["under_18", "18_59", "60_plus"]
    return [
        cell(amount, sex=sex, age=age)
        for sex, row in zip(["female", "male"], amounts, strict=True)
        for age, amount in zip(ages, row, strict=True)
    ]


def make_report(partnership, start, end, *, version=1, submitted=False, supersedes=None):
    return ProgressReport.objects.create(
        partnership=partnership,
        period_start=start,
        period_end=end,
        due_on=end + datetime.timedelta(days=partnership.report_due_days),
        version=version,
        supersedes=supersedes,
        status=ReportStatus.SUBMITTED if submitted else ReportStatus.DRAFT,
        submitted_at=datetime.datetime.combine(
            end + datetime.timedelta(days=10), datetime.time(9), tzinfo=datetime.UTC
        )
        if submitted
        else None,
        narrative="Work went on." if submitted else "",
    )


def table_counts():
    """Rows per table of indicators and reports (and audit entries and emails): what a refused
    change must not alter."""
    return {
        "indicators": Indicator.objects.count(),
        "dimensions": IndicatorDimension.objects.count(),
        "values": IndicatorValue.objects.count(),
        "parts": IndicatorValuePart.objects.count(),
        "reports": ProgressReport.objects.count(),
        "reminders": ReportReminder.objects.count(),
        "audit": AuditEntry.objects.count(),
        "emails": OutboundEmail.objects.count(),
    }


def assert_outcome(response, expected):
    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
    else:
        assert response.status_code == expected


def queries_for(client, url, **params):
    """How many queries a GET of `url` makes (for flat query-count assertions)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(captured.captured_queries)


def expected_for(persona, *, allowed, allowed_for, outsider, refused=403, anonymous=LOGIN):
    if persona == "anonymous":
        return anonymous
    if persona == "outsider":
        return outsider
    return allowed if persona in allowed_for else refused
