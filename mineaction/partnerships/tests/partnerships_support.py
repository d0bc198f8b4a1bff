"""Records and helpers shared by the action plan, partnership and commitment tests."""

import datetime

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mineaction.core.models import AuditEntry
from mineaction.partnerships.models import (
    ActionAssessment,
    ActionPlan,
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Partnership,
    PartnershipDocument,
    PlanAction,
    PlanSection,
)
from mineaction.stakeholders.models import Organisation

LOGIN = "login"
READERS = ["observer", "member", "lead_donor", "data_manager"]
MANAGERS = ["secretariat", "lead_authority", "administrator"]
# Pages without a record: outsiders are refused; record pages: outsiders learn nothing.
LIST_ACCESS = {"anonymous": LOGIN, "outsider": 403} | dict.fromkeys(READERS + MANAGERS, 200)
DETAIL_ACCESS = {"anonymous": LOGIN, "outsider": 404} | dict.fromkeys(READERS + MANAGERS, 200)
MANAGER_FORM_ACCESS = (
    {"anonymous": LOGIN, "outsider": 403}
    | dict.fromkeys(READERS, 403)
    | dict.fromkeys(MANAGERS, 200)
)
MANAGER_RECORD_ACCESS = (
    {"anonymous": LOGIN, "outsider": 404}
    | dict.fromkeys(READERS, 403)
    | dict.fromkeys(MANAGERS, 200)
)
API_LIST_ACCESS = {"anonymous": 401, "outsider": 403} | dict.fromkeys(READERS + MANAGERS, 200)
API_RECORD_ACCESS = {"anonymous": 401, "outsider": 404} | dict.fromkeys(READERS + MANAGERS, 200)


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


def organisation(name):
    return Organisation.objects.get(name=name)


def make_plan(code="test-plan", *, first_year=2020, last_year=2024, sections=None):
    """A plan with sections [(number, title, [(action number, short title), ...])]."""
    plan = ActionPlan.objects.create(
        code=code, title=f"Plan {code}", first_year=first_year, last_year=last_year
    )
    if sections is None:
        sections = [("I", "First", [(1, "One"), (2, "Two")]), ("II", "Second", [(3, "Three")])]
    for order, (number, title, actions) in enumerate(sections, start=1):
        section = PlanSection.objects.create(
            action_plan=plan, number=number, order=order, title=title
        )
        for action_number, short_title in actions:
            PlanAction.objects.create(
                section=section, number=action_number, short_title=short_title
            )
    return plan


def action(plan, number):
    return PlanAction.objects.get(section__action_plan=plan, number=number)


def assess(plan_action, year, status, evidence=""):
    return ActionAssessment.objects.create(
        plan_action=plan_action, year=year, status=status, evidence=evidence
    )


def make_partnership(
    title="Clearance partnership",
    *,
    state=None,
    partners=None,
    starts_on=datetime.date(2024, 1, 1),
    ends_on=datetime.date(2027, 12, 31),
):
    """A partnership of the State's centre with the member persona's and lead donor's
    organisations (by default)."""
    partnership = Partnership.objects.create(
        title=title,
        purpose="Clear the eastern province together.",
        state_party=state or organisation("Testland Mine Action Centre"),
        starts_on=starts_on,
        ends_on=ends_on,
    )
    partnership.partners.set(
        partners
        if partners is not None
        else [organisation("Clear Fields Association"), organisation("Kingdom of Examplia")]
    )
    return partnership


def make_commitment(
    partnership,
    party,
    *,
    kind=CommitmentKind.TECHNICAL,
    due_on=datetime.date(2025, 6, 30),
    status=CommitmentStatus.PLANNED,
    delivered_on=None,
    amount=None,
    currency="",
    description="Train two survey teams",
):
    return Commitment.objects.create(
        partnership=partnership,
        party=party,
        kind=kind,
        description=description,
        due_on=due_on,
        status=status,
        delivered_on=delivered_on,
        amount=amount,
        currency=currency,
    )


def make_document(partnership, title="Signed agreement"):
    document = PartnershipDocument(partnership=partnership, title=title)
    document.file.save("agreement.pdf", ContentFile(b"%PDF-1.7\nagreement"), save=True)
    return document


def table_counts():
    """Rows per table of the app (and audit entries): what a refused change must not alter."""
    return {
        "plans": ActionPlan.objects.count(),
        "sections": PlanSection.objects.count(),
        "actions": PlanAction.objects.count(),
        "assessments": ActionAssessment.objects.count(),
        "partnerships": Partnership.objects.count(),
        "documents": PartnershipDocument.objects.count(),
        "commitments": Commitment.objects.count(),
        "audit": AuditEntry.objects.count(),
    }
