"""Partnerships API: partnerships (list, create, read, change), their mutual accountability, and
the parties' commitments (list with the page's filters, export, record, read, change).

Same gates, forms and services as the pages, so the rules and messages are the same. Managers
(the secretariat, the lead authority, administrators) create and change partnerships and any
commitment; a party's people record and update their own organisation's commitments.
"""

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    OrganisationRefOut,
    PageOut,
    PageParams,
    PersonRefOut,
    Problem,
    choice,
    date,
    error_responses,
    form_errors,
    input_changes,
    input_schema_extra,
    organisation_ref,
    paginate,
    person_ref,
    public_id_field,
    text,
)
from mineaction.core.pages import uuid_or_none
from mineaction.core.tables import export_openapi, table_response
from mineaction.partnerships.forms import (
    CommitmentFilterForm,
    CommitmentForm,
    CommitmentProgressForm,
    PartnershipFilterForm,
    PartnershipForm,
)
from mineaction.partnerships.models import (
    Commitment,
    CommitmentKind,
    CommitmentStatus,
    Partnership,
    ReportingFrequency,
)
from mineaction.partnerships.services import partnerships as services
from mineaction.stakeholders.models import Organisation

router = Router(tags=["partnerships"])

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 422)
LIST = error_responses(400, 403)
EXPORT_FORMATS = ("csv", "xlsx")
UUID_LIST = {"items": {"type": "string", "format": "uuid"}}
TIMELINESS = ["", *services.TIMELINESS_LABELS]


# Schemas ---------------------------------------------------------------------------------------


class PartnershipRefOut(Schema):
    public_id: uuid.UUID
    title: str


class PlanActionLinkOut(Schema):
    public_id: uuid.UUID
    plan: str = Field(description="The action plan's code.")
    number: int
    short_title: str


class PartnershipOut(Schema):
    public_id: uuid.UUID
    title: str
    purpose: str
    state_party: OrganisationRefOut
    partners: list[OrganisationRefOut]
    starts_on: datetime.date
    ends_on: datetime.date
    period: str = Field(json_schema_extra={"enum": ["upcoming", "current", "ended"]})
    reporting_frequency: ReportingFrequency
    report_due_days: int
    commitment_count: int


class PartnershipPageOut(PageOut):
    results: list[PartnershipOut]


class CommitmentOut(Schema):
    public_id: uuid.UUID
    partnership: PartnershipRefOut | None
    party: OrganisationRefOut
    kind: CommitmentKind
    description: str
    due_on: datetime.date
    status: CommitmentStatus
    delivered_on: datetime.date | None
    timeliness: str = Field(
        description="on_time or late once delivered; overdue or pending until then; empty "
        "when not delivered or cancelled.",
        json_schema_extra={"enum": TIMELINESS},
    )
    amount: Decimal | None
    currency: str
    plan_actions: list[PlanActionLinkOut]
    challenges: list[uuid.UUID] = Field(description="Public ids of the challenges it addresses.")


class CommitmentPageOut(PageOut):
    results: list[CommitmentOut]


class PartnershipDocumentOut(Schema):
    public_id: uuid.UUID
    title: str
    url: str


class PartnershipIndicatorOut(Schema):
    public_id: uuid.UUID
    name: str
    unit: str
    baseline: Decimal
    target: Decimal
    target_date: datetime.date


class PartnershipReportOut(Schema):
    public_id: uuid.UUID
    period_start: datetime.date
    period_end: datetime.date
    version: int
    status: str


class PartnershipPledgeOut(Schema):
    public_id: uuid.UUID
    title: str
    donor: OrganisationRefOut
    amount: Decimal
    currency: str
    status: str


class PartnershipDetailOut(PartnershipOut):
    focal_points: list[PersonRefOut]
    plan_actions: list[PlanActionLinkOut]
    commitments: list[CommitmentOut]
    indicators: list[PartnershipIndicatorOut]
    progress_reports: list[PartnershipReportOut]
    documents: list[PartnershipDocumentOut]
    pledges: list[PartnershipPledgeOut]


class AccountabilityAmountsOut(Schema):
    currency: str
    committed: Decimal
    delivered: Decimal


class AccountabilityOutcomesOut(Schema):
    on_time: int
    late: int
    overdue: int
    pending: int
    not_delivered: int


class AccountabilitySharesOut(Schema):
    on_time: Decimal | None
    late: Decimal | None
    overdue: Decimal | None
    pending: Decimal | None
    not_delivered: Decimal | None


class AccountabilitySideOut(Schema):
    party: OrganisationRefOut | None = Field(description="Null for all partners together.")
    role: str = Field(json_schema_extra={"enum": ["state", "partner", "partners"]})
    committed: int = Field(description="Commitments counted: all but the cancelled ones.")
    cancelled: int
    delivered: int
    by_kind: dict[str, int]
    outcomes: AccountabilityOutcomesOut
    shares: AccountabilitySharesOut = Field(
        description="Each outcome's share of the commitments counted."
    )
    amounts: list[AccountabilityAmountsOut]


class AccountabilityOut(Schema):
    partnership: PartnershipRefOut
    today: datetime.date
    sides: list[AccountabilitySideOut] = Field(
        description="The State's party first, then each partner."
    )
    partners_total: AccountabilitySideOut
    commitments: list[CommitmentOut]


class PartnershipFilters(PageParams):
    q: str | None = Field(None, description="Words in the title or purpose.")
    party: str | None = public_id_field("Public id of the State's party or a partner.")
    period: str | None = Field(None, json_schema_extra={"enum": ["current", "upcoming", "ended"]})


class PartnershipIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(
            ["title", "purpose", "state_party", "partners", "starts_on", "ends_on"]
        ),
    }

    title: str | None = text()
    purpose: str | None = text()
    state_party: str | None = public_id_field(
        "Public id of the national authority or government ministry speaking for the State."
    )
    partners: list[str] | None = Field(None, json_schema_extra=UUID_LIST)
    starts_on: str | None = date()
    ends_on: str | None = date("After the start.")
    reporting_frequency: str | None = choice(ReportingFrequency.choices, "Default: half_yearly.")
    report_due_days: int | None = Field(None, description="Default: 30.")
    focal_points: list[str] | None = Field(
        None, description="People of the parties.", json_schema_extra=UUID_LIST
    )
    plan_actions: list[str] | None = Field(None, json_schema_extra=UUID_LIST)


class CommitmentFilters(PageParams):
    party: str | None = public_id_field("Public id of the committing organisation.")
    kind: str | None = choice(CommitmentKind.choices)
    status: str | None = choice(CommitmentStatus.choices)
    timeliness: str | None = Field(None, json_schema_extra={"enum": TIMELINESS[1:]})
    partnership: str | None = public_id_field()
    due_year: int | None = None


class CommitmentExportFilters(Schema):
    format: str = Field("csv", json_schema_extra={"enum": list(EXPORT_FORMATS)})
    party: str | None = public_id_field()
    kind: str | None = choice(CommitmentKind.choices)
    status: str | None = choice(CommitmentStatus.choices)
    timeliness: str | None = Field(None, json_schema_extra={"enum": TIMELINESS[1:]})
    partnership: str | None = public_id_field()
    due_year: int | None = None


class CommitmentIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["kind", "description", "due_on"]),
    }

    partnership: str | None = public_id_field(
        "Public id of the partnership; required unless the caller manages partnerships."
    )
    party: str | None = public_id_field("The committing organisation; default: the caller's.")
    kind: str | None = choice(CommitmentKind.choices)
    description: str | None = text("What is committed.")
    due_on: str | None = date("By when.")
    status: str | None = choice(CommitmentStatus.choices, "Default: planned.")
    delivered_on: str | None = date("Only for a delivered commitment; not in the future.")
    amount: Decimal | None = Field(None, description="Required for a financial commitment.")
    currency: str | None = text("ISO 4217 code; required with an amount.")
    plan_actions: list[str] | None = Field(None, json_schema_extra=UUID_LIST)
    challenges: list[str] | None = Field(None, json_schema_extra=UUID_LIST)


# Serialisers -----------------------------------------------------------------------------------


def partnership_ref(partnership):
    return {"public_id": partnership.public_id, "title": partnership.title}


def plan_action_ref(action):
    return {
        "public_id": action.public_id,
        "plan": action.section.action_plan.code,
        "number": action.number,
        "short_title": action.short_title,
    }


def partnership_out(partnership, today):
    return {
        "public_id": partnership.public_id,
        "title": partnership.title,
        "purpose": partnership.purpose,
        "state_party": organisation_ref(partnership.state_party),
        "partners": [organisation_ref(partner) for partner in partnership.partners.all()],
        "starts_on": partnership.starts_on,
        "ends_on": partnership.ends_on,
        "period": services.partnership_period(partnership, today),
        "reporting_frequency": partnership.reporting_frequency,
        "report_due_days": partnership.report_due_days,
        "commitment_count": partnership.commitment_count,
    }


def commitment_out(commitment, today, visible_challenge_ids):
    return {
        "public_id": commitment.public_id,
        "partnership": partnership_ref(commitment.partnership) if commitment.partnership else None,
        "party": organisation_ref(commitment.party),
        "kind": commitment.kind,
        "description": commitment.description,
        "due_on": commitment.due_on,
        "status": commitment.status,
        "delivered_on": commitment.delivered_on,
        "timeliness": commitment.timeliness(today),
        "amount": commitment.amount,
        "currency": commitment.currency,
        "plan_actions": [plan_action_ref(action) for action in commitment.plan_actions.all()],
        "challenges": [
            challenge.public_id
            for challenge in commitment.challenges.all()
            if challenge.pk in visible_challenge_ids
        ],
    }


def _visible_challenge_ids(user):
    return set(access.visible_challenges(user).values_list("pk", flat=True))


def _commitments(queryset):
    return queryset.select_related("party", "partnership").prefetch_related(
        "plan_actions__section__action_plan", "challenges"
    )


def _partnerships(queryset):
    return (
        queryset.select_related("state_party")
        .prefetch_related("partners")
        .annotate(commitment_count=Count("commitments", distinct=True))
    )


def _partnership_detail_out(request, partnership):
    partnership = _partnerships(Partnership.objects).get(pk=partnership.pk)
    today = timezone.localdate()
    visible = _visible_challenge_ids(request.auth)
    commitments = _commitments(partnership.commitments.order_by("due_on", "id"))
    return {
        **partnership_out(partnership, today),
        "focal_points": [
            person_ref(person) for person in partnership.focal_points.select_related("organisation")
        ],
        "plan_actions": [
            plan_action_ref(action)
            for action in partnership.plan_actions.select_related("section__action_plan")
        ],
        "commitments": [commitment_out(c, today, visible) for c in commitments],
        "indicators": list(
            partnership.indicators.order_by("name").values(
                "public_id", "name", "unit", "baseline", "target", "target_date"
            )
        ),
        "progress_reports": list(
            partnership.progress_reports.order_by("-period_end", "-version").values(
                "public_id", "period_start", "period_end", "version", "status"
            )
        ),
        "documents": [
            {
                "public_id": document.public_id,
                "title": document.title,
                "url": request.build_absolute_uri(
                    reverse("partnerships:partnership_document_download", args=[document.public_id])
                ),
            }
            for document in partnership.documents.all()
        ],
        "pledges": [
            {
                "public_id": pledge.public_id,
                "title": pledge.title,
                "donor": organisation_ref(pledge.donor),
                "amount": pledge.amount,
                "currency": pledge.currency,
                "status": pledge.status,
            }
            for pledge in partnership.pledges.select_related("donor").order_by("-first_year", "id")
        ],
    }


def _filter_form(form_class, filters, names):
    sent = {
        name: value
        for name, value in filters.model_dump(include=names).items()
        if value not in (None, "")
    }
    form = form_class(data=sent)
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    return form


# Partnerships ----------------------------------------------------------------------------------


@router.get(
    "/partnerships",
    response={200: PartnershipPageOut, **LIST},
    url_name="partnership_list",
    summary="List partnerships",
)
def partnership_list(request, filters: Query[PartnershipFilters]):
    """Partnerships, the latest first."""
    access.require_reader(request.auth)
    today = timezone.localdate()
    form = _filter_form(PartnershipFilterForm, filters, {"q", "party", "period"})
    partnerships = _partnerships(form.filter(Partnership.objects.all(), today)).order_by(
        "-starts_on", "title", "id"
    )
    return paginate(partnerships, filters, lambda p: partnership_out(p, today))


def _partnership_form(data, instance=None):
    """The page's form, reading organisations, people and plan actions by public id."""
    form = PartnershipForm(data=data, instance=instance)
    for name in ("state_party", "partners", "focal_points", "plan_actions"):
        form.fields[name].to_field_name = "public_id"
    return form


def _save_partnership(form, partnership=None):
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    try:
        return services.partnership_save(partnership=partnership, **form.values())
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None


@router.post(
    "/partnerships",
    response={201: PartnershipDetailOut, **WRITE},
    url_name="partnership_create",
    summary="Create a partnership",
)
def partnership_create(request, payload: PartnershipIn):
    """Create a partnership between the State and one or more partners (managers)."""
    access.require_reader(request.auth)
    if not access.can_manage_partnerships(request.auth):
        raise Problem(403, _("Only the secretariat and the lead authority create partnerships."))
    data = input_changes(payload, partial=False)
    data["reporting_frequency"] = data.get("reporting_frequency") or ReportingFrequency.HALF_YEARLY
    if data.get("report_due_days") is None:
        data["report_due_days"] = 30
    for name in ("partners", "focal_points", "plan_actions"):
        data[name] = data.get(name) or []
    partnership = _save_partnership(_partnership_form(data))
    return Status(201, _partnership_detail_out(request, partnership))


@router.get(
    "/partnerships/{public_id}",
    response={200: PartnershipDetailOut, **READ},
    url_name="partnership_detail",
    summary="Get a partnership",
)
def partnership_detail(request, public_id: str):
    """The partnership with its parties, focal points, commitments, indicators, progress
    reports, documents and the pledges linked to it."""
    return _partnership_detail_out(
        request, access.get_partnership_for_user(request.auth, public_id)
    )


def _current_data(partnership):
    data = model_to_dict(partnership, fields=list(PartnershipForm.Meta.fields))
    data["state_party"] = partnership.state_party.public_id
    for name in ("partners", "focal_points", "plan_actions"):
        data[name] = [str(record.public_id) for record in getattr(partnership, name).all()]
    for name in ("starts_on", "ends_on"):
        data[name] = data[name].isoformat()
    return data


@router.patch(
    "/partnerships/{public_id}",
    response={200: PartnershipDetailOut, **WRITE},
    url_name="partnership_patch",
    summary="Change a partnership",
)
def partnership_patch(request, public_id: str, payload: PartnershipIn):
    """Change the partnership's terms (managers). A party with commitments stays a party."""
    partnership = access.get_partnership_for_user(request.auth, public_id, write=True)
    changes = input_changes(payload, partial=True)
    if changes:
        data = {**_current_data(partnership), **changes}
        _save_partnership(_partnership_form(data, partnership), partnership)
    return _partnership_detail_out(request, partnership)


@router.get(
    "/partnerships/{public_id}/accountability",
    response={200: AccountabilityOut, **READ},
    url_name="partnership_accountability",
    summary="Mutual accountability of a partnership",
)
def partnership_accountability(request, public_id: str):
    """Per party: what it committed (by kind) and what became of it (on time, late, overdue,
    pending, not delivered), with shares of the commitments counted and amounts per currency;
    the State's party first, then each partner, then all partners together."""
    partnership = access.get_partnership_for_user(request.auth, public_id)
    today = timezone.localdate()
    accountability = services.partnership_accountability(partnership, today)
    visible = _visible_challenge_ids(request.auth)
    commitments = {
        commitment.pk: commitment for commitment in _commitments(partnership.commitments.all())
    }
    body = services.accountability_json(accountability)
    body["commitments"] = [
        commitment_out(commitments[commitment.pk], today, visible)
        for side in accountability.sides
        for commitment in side.commitments
    ]
    return body


# Commitments -----------------------------------------------------------------------------------

COMMITMENT_FILTERS = {"party", "kind", "status", "timeliness", "partnership", "due_year"}


@router.get(
    "/commitments",
    response={200: CommitmentPageOut, **LIST},
    url_name="commitment_list",
    summary="List commitments",
)
def commitment_list(request, filters: Query[CommitmentFilters]):
    """The parties' commitments, by due date."""
    access.require_reader(request.auth)
    today = timezone.localdate()
    form = _filter_form(CommitmentFilterForm, filters, COMMITMENT_FILTERS)
    commitments = _commitments(form.filter(Commitment.objects.all(), today)).order_by(
        "due_on", "id"
    )
    visible = _visible_challenge_ids(request.auth)
    return paginate(commitments, filters, lambda c: commitment_out(c, today, visible))


@router.get(
    "/commitments/export",
    response=LIST,
    url_name="commitment_export",
    summary="Export commitments",
    openapi_extra=export_openapi("The commitments as CSV or XLSX."),
)
def commitment_export(request, filters: Query[CommitmentExportFilters]):
    """The commitments with the list's filters, as a spreadsheet."""
    access.require_reader(request.auth)
    if filters.format not in EXPORT_FORMATS:
        raise Problem(
            400,
            errors={
                "format": [
                    _("Unknown format: %(format)s. Use one of: %(formats)s.")
                    % {"format": filters.format, "formats": ", ".join(EXPORT_FORMATS)}
                ]
            },
        )
    today = timezone.localdate()
    form = _filter_form(CommitmentFilterForm, filters, COMMITMENT_FILTERS)
    commitments = (
        form.filter(Commitment.objects.all(), today)
        .select_related("party", "partnership")
        .order_by("due_on", "id")
    )
    return table_response(
        services.commitment_columns(today),
        commitments,
        fmt=filters.format,
        filename="commitments",
        title=_("Commitments"),
    )


def _commitment_form(data, user, instance=None):
    form = CommitmentForm(data=data, user=user, instance=instance)
    for name in ("partnership", "party", "plan_actions", "challenges"):
        form.fields[name].to_field_name = "public_id"
    return form


def _check_recording_rights(user, data):
    """A party's people record their own organisation's commitments, in their partnerships."""
    if access.can_manage_partnerships(user):
        return
    organisation_id = access.own_organisation_id(user)
    if organisation_id is None:
        raise Problem(
            403,
            _(
                "Commitments are recorded by managers or by the people of a party; your account "
                "does not speak for an organisation."
            ),
        )
    own = Organisation.objects.get(pk=organisation_id)
    if data.get("party") and uuid_or_none(data["party"]) != own.public_id:
        raise Problem(
            403, _("You record commitments of your own organisation (%(own)s) only.") % {"own": own}
        )
    data["party"] = str(own.public_id)
    partnership = (
        Partnership.objects.filter(public_id=uuid_or_none(data.get("partnership"))).first()
        if data.get("partnership")
        else None
    )
    if partnership is not None and not access.is_party(user, partnership):
        raise Problem(
            403,
            _("%(own)s is not a party to the partnership “%(partnership)s”.")
            % {"own": own, "partnership": partnership},
        )


def _detail(request, commitment):
    commitment = _commitments(Commitment.objects).get(pk=commitment.pk)
    return commitment_out(commitment, timezone.localdate(), _visible_challenge_ids(request.auth))


@router.post(
    "/commitments",
    response={201: CommitmentOut, **WRITE},
    url_name="commitment_create",
    summary="Record a commitment",
)
def commitment_create(request, payload: CommitmentIn):
    """Record a commitment: managers for any party; a party's people for their own
    organisation, in a partnership it is party to."""
    access.require_reader(request.auth)
    data = input_changes(payload, partial=False)
    _check_recording_rights(request.auth, data)
    data["status"] = data.get("status") or CommitmentStatus.PLANNED
    data["currency"] = data.get("currency") or ""
    for name in ("plan_actions", "challenges"):
        data[name] = data.get(name) or []
    form = _commitment_form(data, request.auth)
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    try:
        commitment = services.commitment_create(**form.values())
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None
    return Status(201, _detail(request, commitment))


@router.get(
    "/commitments/{public_id}",
    response={200: CommitmentOut, **READ},
    url_name="commitment_detail",
    summary="Get a commitment",
)
def commitment_detail(request, public_id: str):
    return _detail(request, access.get_commitment_for_user(request.auth, public_id))


PARTY_FIELDS = {"status", "delivered_on", "description"}


def _current_commitment_data(commitment, user):
    data = model_to_dict(commitment, fields=list(CommitmentForm.Meta.fields))
    data["partnership"] = commitment.partnership.public_id if commitment.partnership else None
    data["party"] = commitment.party.public_id
    data["plan_actions"] = [str(action.public_id) for action in commitment.plan_actions.all()]
    data["challenges"] = [
        str(challenge.public_id)
        for challenge in access.visible_challenges(user, commitment.challenges.all())
    ]
    for name in ("due_on", "delivered_on"):
        data[name] = data[name].isoformat() if data[name] else None
    return data


@router.patch(
    "/commitments/{public_id}",
    response={200: CommitmentOut, **WRITE},
    url_name="commitment_patch",
    summary="Change a commitment",
)
def commitment_patch(request, public_id: str, payload: CommitmentIn):
    """Managers change any field; the committing party's people the status, delivery date and
    description."""
    commitment = access.get_commitment_for_user(request.auth, public_id, write=True)
    changes = input_changes(payload, partial=True)
    if not changes:
        return _detail(request, commitment)
    user = request.auth
    if not access.can_manage_partnerships(user):
        refused = sorted(set(changes) - PARTY_FIELDS)
        if refused:
            raise Problem(
                403,
                _(
                    "You may change the status, the delivery date and the description; the "
                    "secretariat changes the rest (%(fields)s)."
                )
                % {"fields": ", ".join(refused)},
            )
        data = {
            "status": commitment.status,
            "delivered_on": commitment.delivered_on.isoformat()
            if commitment.delivered_on
            else None,
            "description": commitment.description,
            **changes,
        }
        form = CommitmentProgressForm(data=data, instance=commitment)
        extra = {}
    else:
        form = _commitment_form(
            {**_current_commitment_data(commitment, user), **changes}, user, commitment
        )
        extra = None
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    values = form.values()
    if extra is None:
        hidden = commitment.challenges.exclude(pk__in=access.visible_challenges(user).values("pk"))
        extra = {
            "plan_actions": values.pop("plan_actions"),
            "challenges": [*values.pop("challenges"), *hidden],
        }
    try:
        services.commitment_update(commitment=commitment, **values, **extra)
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None
    return _detail(request, commitment)
