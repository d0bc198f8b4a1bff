"""The demo's partnerships, commitments, indicators, progress reports and resource mobilisation.

Most checks read one demo loaded for the whole module (loading takes a while); each test runs in
its own transaction, rolled back after, so the tests that reload, wipe or add plan actions
change nothing for the others.
"""

import collections
import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from mineaction.challenges.models import Challenge
from mineaction.core import audit
from mineaction.core.choices import Component
from mineaction.core.models import AuditEntry, CountryProfile, User
from mineaction.demo import funding_data as fd
from mineaction.demo import partnership_data as pd
from mineaction.demo.funding_load import Years
from mineaction.demo.partnership_load import load_assessments, released_m2
from mineaction.demo.services import demo_counts, demo_wipe
from mineaction.funding.models import (
    Disbursement,
    ExchangeRate,
    FundingRequirement,
    Pledge,
    PledgeStatus,
    PledgeYear,
    Source,
)
from mineaction.funding.services.gap import funding_gap
from mineaction.landrelease.models import Article5Milestone, LandRelease
from mineaction.partnerships.models import (
    ActionAssessment,
    ActionPlan,
    Commitment,
    CommitmentKind,
    Indicator,
    IndicatorValue,
    Partnership,
    PlanAction,
    PlanSection,
    ProgressReport,
    ReportStatus,
)
from mineaction.partnerships.services.indicators import indicator_dimensions, value_breakdown
from mineaction.partnerships.services.partnerships import commitment_outcome
from mineaction.partnerships.services.reports import period_statuses
from mineaction.stakeholders.models import LeadDonorTerm, Organisation
from mineaction.workplans.services.budget import planned_budget_by_year

FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MODELS = [
    ExchangeRate,
    FundingRequirement,
    Pledge,
    PledgeYear,
    Disbursement,
    Partnership,
    Commitment,
    Indicator,
    ProgressReport,
    IndicatorValue,
]


def load_demo(*args):
    with override_settings(PASSWORD_HASHERS=FAST_HASHING):
        call_command("load_demo", *args, stdout=StringIO())


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, loaded once and committed for the module's tests, wiped afterwards."""
    with django_db_blocker.unblock():
        load_demo()
        yield
        with audit.acting_as(None):
            demo_wipe()


@pytest.fixture
def loaded(demo, db):
    """Each test reads the module's demo inside its own transaction (rolled back after)."""


@pytest.fixture
def years(loaded):
    return Years(timezone.localdate())


def snapshot():
    return {
        model.__name__: sorted(
            repr(sorted((k, v) for k, v in row.items() if k != "updated_at"))
            for row in model.objects.values()
        )
        for model in MODELS
    }


def year_row(rows, year):
    return next(row for row in rows if row["year"] == year)


# Loading ---------------------------------------------------------------------------------------


def test_loading_again_adds_nothing_and_writes_nothing(loaded):
    before, counts = snapshot(), demo_counts()
    audit_entries = AuditEntry.objects.count()

    load_demo()

    assert snapshot() == before
    assert demo_counts() == counts
    assert AuditEntry.objects.count() == audit_entries
    assert {kind: counts[kind] for kind in ["partnerships", "commitments"]} == {
        "partnerships": 4,
        "commitments": 25,
    }


def test_loading_again_puts_back_a_changed_rate_and_requirement_but_keeps_pledges(years):
    rate = ExchangeRate.objects.get(currency="EUR", year=years.this)
    requirement = FundingRequirement.objects.filter(source=Source.ENTERED).first()
    pledge = Pledge.objects.get(title=fd.PLEDGES[0]["title"])
    ExchangeRate.objects.filter(pk=rate.pk).update(rate=Decimal("9"))
    FundingRequirement.objects.filter(pk=requirement.pk).update(amount=Decimal("1"))
    Pledge.objects.filter(pk=pledge.pk).update(title="Renamed by a tester")

    load_demo()

    assert ExchangeRate.objects.get(pk=rate.pk).rate == rate.rate
    assert FundingRequirement.objects.get(pk=requirement.pk).amount == requirement.amount
    assert Pledge.objects.get(pk=pledge.pk).title == "Renamed by a tester"
    assert Pledge.objects.filter(title=pledge.title).count() == 1  # loaded again, as planned


def test_the_wipe_deletes_every_funding_and_partnership_record_but_not_the_catalogue(loaded):
    plans = ActionPlan.objects.count()

    with audit.acting_as(None):
        demo_wipe()

    for model in [*MODELS, ActionAssessment]:
        assert model.objects.count() == 0, model.__name__
    assert ActionPlan.objects.count() == plans == 2


def test_every_planned_pledge_is_loaded_once(years):
    terms = [
        term
        for term in LeadDonorTerm.objects.select_related("organisation")
        if years.clip(term.starts_on.year - years.this, term.ends_on.year - years.this)
    ]
    expected = [
        fd.LEAD_DONOR_TITLE.format(first=t.starts_on.year, last=t.ends_on.year) for t in terms
    ] + [spec["title"] for spec in fd.PLEDGES if years.clip(*spec["years"])]

    assert sorted(Pledge.objects.values_list("title", flat=True)) == sorted(expected)
    assert len(expected) >= 27


# Exchange rates --------------------------------------------------------------------------------


def test_every_currency_used_has_a_rate_for_every_year_but_the_yen_in_the_last_year(years):
    base = CountryProfile.load().currency
    currencies = set(Pledge.objects.values_list("currency", flat=True))
    currencies |= set(Disbursement.objects.values_list("currency", flat=True))
    currencies |= set(FundingRequirement.objects.values_list("currency", flat=True))
    rates = set(ExchangeRate.objects.values_list("currency", "year"))
    wanted = {(currency, year) for currency in currencies - {base} for year in years.all()}

    assert currencies >= {"USD", "EUR", "GBP", "JPY", "NOK", "SEK", "CHF", "AUD", "CAD"}
    assert wanted - rates == {("JPY", years.last)}
    assert ExchangeRate.objects.filter(currency=base).count() == 0


def test_the_summary_leaves_the_unconverted_yen_out_and_warns_about_it(years, client):
    gap = funding_gap(today=years.today)
    sundara = PledgeYear.objects.get(
        pledge__donor__name="Republic of Sundara", year=years.last
    ).amount
    client.force_login(User.objects.get(email="secretariat@demo.example"))

    page = client.get(reverse("funding:funding_summary")).content.decode()

    assert gap["unconverted"] == [
        {"what": "pledge", "currency": "JPY", "year": years.last, "amount": sundara}
    ]
    warning = page[page.index('class="message message-warning"') :]
    warning = warning[: warning.index("</div>")]
    assert "JPY" in warning and str(years.last) in warning


# Requirements and the gap ----------------------------------------------------------------------


def test_gap_totals_per_donor_component_and_region_add_up_to_the_year_totals(years):
    gap = funding_gap(today=years.today)

    assert (gap["first_year"], gap["last_year"]) == (years.first, years.last)
    for row in gap["years"]:
        year = row["year"]
        for measure in ("pledged", "committed", "disbursed"):
            by_donor = sum(year_row(d["years"], year)[measure] for d in gap["donors"])
            assert by_donor == row[measure], (year, measure)
        for measure in ("requirement", "pledged", "committed", "disbursed", "gap"):
            for table in ("components", "regions"):
                parts = sum(year_row(r["years"], year)[measure] for r in gap[table])
                assert parts == row[measure], (year, measure, table)
    assert len(gap["donors"]) >= 15


def test_a_gap_in_every_year_to_the_deadline_growing_as_it_nears(years):
    gap = funding_gap(today=years.today)
    ahead = [year_row(gap["years"], y) for y in range(years.this, years.deadline.year + 1)]
    shares = [row["gap"] / row["requirement"] for row in ahead]

    assert all(row["gap"] > 0 for row in ahead)
    assert shares == sorted(shares) and len(set(shares)) == len(shares)
    past = year_row(gap["years"], years.this - 1)
    assert past["gap"] / past["requirement"] < shares[0]
    assert year_row(gap["years"], years.last)["gap"] > 0


def test_disbursed_committed_and_pledged_fall_in_that_order_year_after_year(years):
    gap = funding_gap(today=years.today)
    for row in gap["years"]:
        assert row["pledged"] >= row["committed"] >= row["disbursed"] >= 0, row["year"]
    this_year = year_row(gap["years"], years.this)
    assert this_year["committed"] > this_year["disbursed"]
    assert year_row(gap["years"], years.this + 1)["disbursed"] == 0
    assert (
        year_row(gap["years"], years.this + 1)["pledged"]
        > year_row(gap["years"], years.this + 1)["committed"]
    )


def test_land_release_requirements_are_the_milestones_at_the_cost_per_m2_less_the_work_plans(
    years,
):
    work_plans = collections.defaultdict(Decimal)
    for row in planned_budget_by_year():
        if row["component"] == Component.TECHNICAL:
            rate = 1 if row["currency"] == "USD" else None
            rate = rate or ExchangeRate.objects.get(currency=row["currency"], year=row["year"]).rate
            work_plans[row["year"]] += row["amount"] * rate
    for year in range(years.this, years.deadline.year + 1):
        milestone = Article5Milestone.objects.get(year=year, admin_area=None).planned_area_m2
        rows = FundingRequirement.objects.filter(
            year=year, source=Source.ENTERED, component=Component.TECHNICAL, region__isnull=False
        )
        entered = rows.aggregate(total=Sum("amount"))["total"]
        expected = Decimal(milestone) * fd.COST_PER_M2_USD - work_plans[year]

        assert rows.count() >= 5
        assert abs(entered - expected) <= 500 * rows.count(), year
        assert set(rows.values_list("currency", flat=True)) == {"USD"}


def test_requirements_come_per_component_per_province_and_from_the_work_plans(years):
    requirements = FundingRequirement.objects.all()

    assert set(requirements.values_list("component", flat=True)) == set(Component.values)
    assert set(requirements.values_list("year", flat=True)) == set(years.all())
    assert requirements.filter(source=Source.WORK_PLAN).exists()
    assert requirements.filter(region__level=1).count() >= 6 * (
        years.deadline.year - years.this + 1
    )
    residual = requirements.get(year=years.last, description__startswith="Residual")
    assert residual.amount == fd.RESIDUAL_CAPACITY_USD
    assert list(residual.challenges.values_list("title", flat=True)) == [
        "No agreed response to explosive ordnance found on released land"
    ]
    sidi_moraz = requirements.filter(region__code="DL-05", year=years.this).get()
    assert list(sidi_moraz.challenges.values_list("title", flat=True)) == [
        "Funding gap for clearance of the southern border minefields"
    ]


# Pledges and disbursements ---------------------------------------------------------------------


def test_the_lead_donor_of_each_term_is_the_largest_pledger_of_every_year_of_its_term(years):
    gap = funding_gap(today=years.today)
    checked = 0
    for year in years.all():
        term = LeadDonorTerm.objects.get(starts_on__year__lte=year, ends_on__year__gte=year)
        largest = max(gap["donors"], key=lambda row: year_row(row["years"], year)["pledged"])
        assert largest["donor"] == term.organisation, year
        checked += 1
    assert checked == len(years.all())


def test_pledges_of_many_donors_and_currencies_split_exactly_and_are_earmarked_some(years):
    pledges = Pledge.objects.prefetch_related("years")

    assert Organisation.objects.filter(pledges__isnull=False).distinct().count() >= 15
    assert len({p.currency for p in pledges}) == 9
    assert {p.status for p in pledges} == set(PledgeStatus.values)
    assert sum(p.last_year > p.first_year for p in pledges) >= 20
    for pledge in pledges:
        parts = {part.year: part.amount for part in pledge.years.all()}
        assert sorted(parts) == list(range(pledge.first_year, pledge.last_year + 1))
        assert sum(parts.values()) == pledge.amount, pledge.title
        assert pledge.pledged_on <= years.today
    assert pledges.exclude(component="").count() >= 15
    assert pledges.filter(region__level=1).count() >= 4
    assert pledges.exclude(partnership=None).count() == 5


def test_disbursements_follow_each_pledge_status(years):
    for pledge in Pledge.objects.prefetch_related("disbursements"):
        paid = sum((d.amount for d in pledge.disbursements.all()), Decimal(0))
        days = [d.disbursed_on for d in pledge.disbursements.all()]
        if pledge.status == PledgeStatus.PLEDGED:
            assert paid == 0, pledge.title
        elif pledge.status == PledgeStatus.DISBURSED:
            assert paid == pledge.amount, pledge.title
        else:
            assert paid < pledge.amount, pledge.title
        assert all(day < years.today for day in days)
        assert {d.currency for d in pledge.disbursements.all()} <= {pledge.currency}
    unpledged = Disbursement.objects.get(pledge=None)
    assert unpledged.donor.acronym == "ICHR"


# Partnerships and commitments ------------------------------------------------------------------


def test_every_party_commits_and_every_kind_and_outcome_is_there(years):
    outcomes = collections.Counter()
    for partnership in Partnership.objects.prefetch_related("partners", "commitments"):
        parties = {partnership.state_party_id, *(p.pk for p in partnership.partners.all())}
        committed = {c.party_id for c in partnership.commitments.all()}
        assert committed == parties, partnership.title
        outcomes.update(commitment_outcome(c, years.today) for c in partnership.commitments.all())

    assert set(Commitment.objects.values_list("kind", flat=True)) == set(CommitmentKind.values)
    assert set(outcomes) == {"on_time", "late", "overdue", "pending", "not_delivered", ""}


def test_financial_commitments_are_the_amounts_of_their_partnerships_pledges(loaded):
    for pledge in Pledge.objects.exclude(partnership=None):
        commitment = Commitment.objects.get(
            partnership=pledge.partnership, party=pledge.donor, kind=CommitmentKind.FINANCIAL
        )
        assert (commitment.amount, commitment.currency) == (pledge.amount, pledge.currency)


def test_focal_points_are_people_of_the_parties_with_emails(loaded):
    for partnership in Partnership.objects.all():
        parties = {partnership.state_party_id, *partnership.partners.values_list("pk", flat=True)}
        focal_points = list(partnership.focal_points.all())
        assert len(focal_points) >= 3
        assert {person.organisation_id for person in focal_points} <= parties
        assert all(person.email.endswith(".example") for person in focal_points)
    clearance = Partnership.objects.get(title=pd.PARTNERSHIPS[0]["title"])
    assert {"donor@demo.example", "member@demo.example", "authority@demo.example"} <= set(
        clearance.focal_points.values_list("email", flat=True)
    )


def test_commitments_and_requirements_address_demo_challenges(loaded):
    assert Challenge.objects.filter(commitments__isnull=False).distinct().count() >= 10
    assert Challenge.objects.filter(funding_requirements__isnull=False).distinct().count() == 6


# Indicators and progress reports ---------------------------------------------------------------


def test_every_reporting_case_shows_on_the_secretariats_view(years):
    rows = period_statuses(Partnership.objects.all(), today=years.today)
    stages = collections.Counter(row.stage for row in rows)
    timings = collections.Counter(row.timing for row in rows)
    corrections = ProgressReport.objects.exclude(supersedes=None)

    assert set(stages) == {"submitted", "draft", "not_started"}
    assert {"on_time", "late", "overdue", "not_due"} <= set(timings)
    assert timings["late"] >= 3 and timings["overdue"] >= 1
    assert [(c.version, c.status, c.supersedes.status) for c in corrections] == [
        (2, ReportStatus.SUBMITTED, ReportStatus.SUBMITTED)
    ]
    clearance = [r for r in rows if r.partnership.title == pd.PARTNERSHIPS[0]["title"]]
    assert clearance[0].start <= years.today <= clearance[0].end
    assert clearance[0].stage == "draft"
    assert len(clearance) >= 5  # two years of reports and more


def test_submitted_reports_are_signed_by_a_party_and_dated_in_the_past(years):
    for report in ProgressReport.objects.filter(status=ReportStatus.SUBMITTED):
        parties = {report.partnership.state_party_id}
        parties |= set(report.partnership.partners.values_list("pk", flat=True))
        assert report.submitted_by.organisation_id in parties
        assert report.period_end < timezone.localdate(report.submitted_at) < years.today
        assert report.narrative


def test_every_value_breakdown_adds_up_and_some_are_partial(loaded):
    statuses = collections.Counter()
    for value in IndicatorValue.objects.select_related("indicator").prefetch_related("parts"):
        dimensions = indicator_dimensions(value.indicator)
        breakdown = value_breakdown(value, dimensions)
        statuses[(breakdown.status, tuple(breakdown.names()))] += 1
        if breakdown.status == "full":
            assert breakdown.covered == value.total
        elif breakdown.status == "partial":
            assert breakdown.covered < value.total
    assert statuses[("full", ("Sex", "Age band"))] >= 10
    assert statuses[("full", ("Sex",))] >= 5
    assert statuses[("partial", ("Sex", "Age band"))] >= 3
    assert statuses[("full", ("Province",))] >= 5
    assert statuses[("none", ())] >= 5


def test_land_released_values_are_those_of_the_article5_records(years):
    indicator = Indicator.objects.get(name="Land released in Kessane and Sidi Moraz")
    codes = {"Kessane": "DL-02", "Sidi Moraz": "DL-05"}
    labels = {c["code"]: c["label"] for c in indicator.dimensions.get().categories}
    for value in indicator.values.select_related("progress_report").prefetch_related("parts"):
        until = min(value.period_end, years.today - datetime.timedelta(days=1))
        for part in value.parts.all():
            code = codes[labels[part.categories["province"]]]
            assert part.amount == released_m2(value.period_start, until, code)
    assert indicator.baseline == 0 and indicator.target > 0


def test_indicators_have_baselines_targets_and_disaggregation(loaded):
    linked = Indicator.objects.filter(plan_action=None)

    assert linked.count() == 9
    for indicator in linked:
        assert indicator.target > indicator.baseline >= 0, indicator.name
        assert indicator.target_date > indicator.baseline_date
    assert linked.exclude(commitment=None).count() == 3
    assert sorted(
        d.code for d in linked.get(name__startswith="People reached").dimensions.all()
    ) == [
        "age",
        "sex",
    ]


# The State's assessment of the action plan -----------------------------------------------------


def test_the_assessments_follow_the_catalogue_when_it_holds_actions(years):
    plan = ActionPlan.objects.get(code="sraap-2025")
    section = PlanSection.objects.create(action_plan=plan, number="T", order=99, title="Test")
    survey = PlanAction.objects.create(section=section, number=901, short_title="Land release")
    survivors = PlanAction.objects.create(
        section=section, number=902, short_title="Assistance to survivors"
    )
    other = PlanAction.objects.create(section=section, number=903, short_title="Stockpiles")
    excluded = PlanAction.objects.create(
        section=section, number=904, short_title="Stockpile destruction", applies_to_state=False
    )
    assessed_years = list(range(max(plan.first_year, years.this - 2), years.this + 1))

    with audit.acting_as(None):
        load_assessments(years.today)
        count = ActionAssessment.objects.count()
        load_assessments(years.today)

    assert ActionAssessment.objects.count() == count == 3 * len(assessed_years)
    assert not excluded.assessments.exists()
    first = years.this - pd.ASSESSED_YEARS + 1
    for action, (statuses, evidence) in [
        (survey, pd.ASSESSMENT_TOPICS[0][1:]),
        (survivors, pd.ASSESSMENT_TOPICS[2][1:]),
        (other, pd.DEFAULT_ASSESSMENT),
    ]:
        assessments = {a.year: a for a in action.assessments.all()}
        assert sorted(assessments) == assessed_years
        for year, assessment in assessments.items():
            released = released_m2(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
            assert assessment.status == statuses[year - first]
            assert assessment.evidence == evidence[assessment.status].format(
                year=year, released=f"{released:,}"
            )
            assert str(year) in assessment.evidence
    indicator = Indicator.objects.get(plan_action=survey)
    values = {v.period_start.year: v.total for v in indicator.values.all()}
    assert values == {
        year: Decimal(released_m2(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
        for year in range(first, years.this)
    }
    assert all(v > 0 for v in values.values())
    assert LandRelease.objects.exists()
