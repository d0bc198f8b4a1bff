"""The partnerships records of the every-URL walk; see `dashboard/tests/walks.py`.

Each part of the app adds its own records to the dictionary below (keys prefixed by the part
when they could be mistaken for another's).
"""

import datetime

from django.core.files.base import ContentFile

from mineaction.partnerships.models import (
    ActionPlan,
    Commitment,
    CommitmentKind,
    Indicator,
    Partnership,
    PartnershipDocument,
    PlanAction,
    PlanSection,
    ProgressReport,
    ReportStatus,
)
from mineaction.stakeholders.models import Organisation


def walk_records():
    """A small action plan of its own (the catalogue loaded by the migration is left alone), a
    partnership between the State's centre and two partners (the member and lead donor
    personas' organisations) with a document, and a commitment of the member persona's
    organisation, which its people may update."""
    state = Organisation.objects.get(name="Testland Mine Action Centre")
    ngo = Organisation.objects.get(name="Clear Fields Association")
    donor = Organisation.objects.get(name="Kingdom of Examplia")
    plan = ActionPlan.objects.create(
        code="walk-plan", title="Walk action plan", first_year=2020, last_year=2024
    )
    section = PlanSection.objects.create(action_plan=plan, number="I", order=1, title="Walk")
    plan_action = PlanAction.objects.create(section=section, number=1, short_title="Walk action")
    partnership = Partnership.objects.create(
        title="Walk partnership",
        purpose="Walk",
        state_party=state,
        starts_on=datetime.date(2024, 1, 1),
        ends_on=datetime.date(2030, 12, 31),
    )
    partnership.partners.set([ngo, donor])
    partnership.plan_actions.set([plan_action])
    document = PartnershipDocument(partnership=partnership, title="Walk agreement")
    document.file.save("walk.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    commitment = Commitment.objects.create(
        partnership=partnership,
        party=ngo,
        kind=CommitmentKind.TECHNICAL,
        description="Walk commitment",
        due_on=datetime.date(2025, 6, 30),
    )
    return {
        "plan": plan,
        "plan_action": plan_action,
        "partnership": partnership,
        "document": document,
        "commitment": commitment,
        **_walk_reports(partnership, plan_action),
    }


def _walk_reports(partnership, plan_action):
    """An indicator of the partnership, one of the plan action (which has the State's own
    figures), an empty draft report (so submitting it is refused) and a submitted report whose
    correction is already under way (so correcting it again is refused)."""
    indicator = Indicator.objects.create(
        name="Walk indicator",
        unit="people",
        baseline=0,
        target=100,
        target_date=datetime.date(2026, 12, 31),
        partnership=partnership,
    )
    plan_indicator = Indicator.objects.create(
        name="Walk plan indicator",
        unit="%",
        baseline=0,
        target=100,
        target_date=datetime.date(2024, 12, 31),
        plan_action=plan_action,
    )
    report_draft = ProgressReport.objects.create(
        partnership=partnership,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
        due_on=datetime.date(2024, 7, 31),
    )
    report_submitted = ProgressReport.objects.create(
        partnership=partnership,
        period_start=datetime.date(2024, 7, 1),
        period_end=datetime.date(2024, 12, 31),
        due_on=datetime.date(2025, 1, 30),
        status=ReportStatus.SUBMITTED,
        submitted_at=datetime.datetime(2025, 1, 20, 9, tzinfo=datetime.UTC),
        narrative="Walk",
    )
    ProgressReport.objects.create(
        partnership=partnership,
        period_start=report_submitted.period_start,
        period_end=report_submitted.period_end,
        due_on=report_submitted.due_on,
        version=2,
        supersedes=report_submitted,
        narrative="Walk",
    )
    return {
        "indicator": indicator,
        "plan_indicator": plan_indicator,
        "report_draft": report_draft,
        "report_submitted": report_submitted,
    }
