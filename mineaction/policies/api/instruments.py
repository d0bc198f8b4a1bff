"""Policies API: instruments with their stages and advocacy, the IMAS catalogue, and the lag of
the national standards behind the IMAS they follow.

Same gates, forms and services as the pages, so the rules and messages are the same.
"""

import datetime
import uuid
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from mineaction.core import access
from mineaction.core.api import (
    OrganisationRefOut,
    PageOut,
    PageParams,
    Problem,
    choice,
    date,
    error_responses,
    form_errors,
    input_changes,
    input_schema_extra,
    organisation_ref,
    paginate,
    public_id_field,
    save_form,
    text,
)
from mineaction.core.choices import Component
from mineaction.core.tables import export_openapi, table_response
from mineaction.policies.exports import INSTRUMENT_COLUMNS
from mineaction.policies.forms import (
    AdvocacyActionForm,
    ImasStandardForm,
    InstrumentCreateForm,
    InstrumentFilterForm,
    InstrumentForm,
    StageChangeForm,
)
from mineaction.policies.models import (
    AdvocacyAction,
    AdvocacyKind,
    ImasStandard,
    Instrument,
    InstrumentKind,
    InstrumentStage,
)
from mineaction.policies.services import advocacy as advocacy_services
from mineaction.policies.services import instruments as services
from mineaction.policies.services.standards import (
    CURRENT,
    LAGGING,
    NO_EDITION,
    NO_IMAS,
    chapter_lag,
    standard_row_data,
    standards_rows,
)

router = Router(tags=["policies"])

LIST = error_responses(400, 403)
READ = error_responses(403, 404)
CREATE = error_responses(400, 403, 409, 422)
WRITE = error_responses(400, 403, 404, 409, 422)
STATUSES = [LAGGING, NO_IMAS, NO_EDITION, CURRENT]


# Schemas ---------------------------------------------------------------------------------------


class ImasOut(Schema):
    public_id: uuid.UUID
    reference: str = Field(description="The IMAS number, such as 07.11.")
    title: str
    edition: str = Field(description="The current edition.")
    edition_date: datetime.date = Field(description="The date of the current edition.")


class ImasPageOut(PageOut):
    results: list[ImasOut]


class InstrumentChallengeRefOut(Schema):
    public_id: uuid.UUID
    reference: str
    title: str


class InstrumentOut(Schema):
    public_id: uuid.UUID
    kind: InstrumentKind
    reference: str
    title: str
    description: str
    component: Component
    stage: InstrumentStage
    stage_changed_on: datetime.date
    responsible_body: OrganisationRefOut | None
    target_date: datetime.date | None
    overdue: bool = Field(description="Target date passed and not adopted or in force.")
    version: str
    version_date: datetime.date | None
    imas_standard: ImasOut | None = Field(description="NMAS chapters: the IMAS followed.")
    imas_edition_followed: datetime.date | None = Field(
        description="NMAS chapters: the date of the IMAS edition followed."
    )
    lags_imas: bool = Field(description="Follows an older edition than the current IMAS.")
    link: str
    challenges: list[InstrumentChallengeRefOut] = Field(
        description="The challenges addressed that the caller may see."
    )


class InstrumentPageOut(PageOut):
    results: list[InstrumentOut]


class StageChangeOut(Schema):
    public_id: uuid.UUID
    from_stage: str = Field(
        json_schema_extra={"enum": ["", *InstrumentStage.values]},
        description="Empty for the stage the instrument was recorded at.",
    )
    to_stage: InstrumentStage
    on: datetime.date
    note: str


class InstrumentMeetingRefOut(Schema):
    public_id: uuid.UUID
    title: str
    starts_at: datetime.datetime


class AdvocacyOut(Schema):
    public_id: uuid.UUID
    on: datetime.date
    kind: AdvocacyKind
    description: str
    organisation: OrganisationRefOut | None
    meeting: InstrumentMeetingRefOut | None = Field(
        description="The platform meeting where it happened, when the caller may see it."
    )
    outcome: str


class AdvocacyPageOut(PageOut):
    results: list[AdvocacyOut]


class LagOut(Schema):
    years: int
    months: int


class InstrumentDetailOut(InstrumentOut):
    allowed_stages: list[InstrumentStage] = Field(description="The stages it may move to.")
    stage_changes: list[StageChangeOut] = Field(description="Stage history, oldest first.")
    advocacy: list[AdvocacyOut] = Field(description="The advocacy log, latest first.")
    lag: LagOut | None = Field(
        description="NMAS chapters: how far behind the current IMAS edition (0 when up to "
        "date); null for other kinds and when the IMAS or the edition followed is unknown."
    )


class ChapterRefOut(Schema):
    public_id: uuid.UUID
    reference: str
    title: str
    stage: InstrumentStage


class StandardRowOut(Schema):
    chapter: ChapterRefOut
    imas: ImasOut | None
    edition_followed: datetime.date | None
    status: str = Field(
        json_schema_extra={"enum": STATUSES},
        description=(
            "lagging: follows an older edition; no_imas: no IMAS recorded; no_edition: the "
            "edition followed is not recorded; current: follows the current edition."
        ),
    )
    lags: bool
    lag_months: int | None = Field(description="Whole months behind the current edition.")
    lag: LagOut | None


class StandardsOut(Schema):
    chapters: list[StandardRowOut] = Field(
        description="Lagging chapters first (longest lag first), then those not comparable."
    )


class InstrumentFilters(PageParams):
    q: str | None = Field(None, description="Words in the reference, title or description.")
    kind: str | None = choice(InstrumentKind.choices)
    stage: str | None = choice(InstrumentStage.choices)
    component: str | None = choice(Component.choices)
    responsible_body: str | None = public_id_field("Public id of the responsible body.")
    overdue: bool = Field(False, description="Only those past their target date.")


class InstrumentExportFilters(Schema):
    format: Literal["csv", "xlsx"] = "csv"
    q: str | None = None
    kind: str | None = choice(InstrumentKind.choices)
    stage: str | None = choice(InstrumentStage.choices)
    component: str | None = choice(Component.choices)
    responsible_body: str | None = public_id_field("Public id of the responsible body.")
    overdue: bool = False


class InstrumentIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["kind", "title", "component"]),
    }

    kind: str | None = choice(InstrumentKind.choices)
    reference: str | None = text("For example: NMAS 07.11, Law 12/2019.")
    title: str | None = text()
    description: str | None = text()
    component: str | None = choice(Component.choices)
    stage: str | None = choice(
        InstrumentStage.choices,
        "Creation only: the stage reached (default need_identified). Later changes go through "
        "POST /instruments/{public_id}/stage.",
    )
    stage_changed_on: str | None = date("Creation only: since when (default today).")
    responsible_body: str | None = public_id_field("Public id of an organisation.")
    target_date: str | None = date()
    version: str | None = text()
    version_date: str | None = date()
    imas_standard: str | None = public_id_field(
        "NMAS chapters only (required for them): public id of the IMAS followed."
    )
    imas_edition_followed: str | None = date(
        "NMAS chapters only (required for them): the date of the IMAS edition followed."
    )
    link: str | None = text("Address of the text.")
    challenges: list[str] | None = Field(
        None,
        description="Public ids of the challenges addressed.",
        json_schema_extra={"items": {"type": "string", "format": "uuid"}},
    )


class StageIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["to_stage"])}

    to_stage: str | None = choice(
        InstrumentStage.choices, "One of the instrument's allowed stages."
    )
    on: str | None = date("The date of the change (default today).")
    note: str | None = text()


class AdvocacyIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["on", "kind", "description"]),
    }

    on: str | None = date("Not in the future.")
    kind: str | None = choice(AdvocacyKind.choices)
    description: str | None = text("What was done.")
    organisation: str | None = public_id_field(
        "Public id of the organisation that did it. Members may only give their own (the "
        "default); managers choose any, or none for the platform as a whole."
    )
    meeting: str | None = public_id_field("Public id of the platform meeting, if any.")
    outcome: str | None = text()


class ImasIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["reference", "title", "edition", "edition_date"]),
    }

    reference: str | None = text("The IMAS number, such as 07.11.")
    title: str | None = text()
    edition: str | None = text("The current edition, such as Edition 2, Amendment 3.")
    edition_date: str | None = date("The date of the current edition (not in the future).")


# Serialisation ---------------------------------------------------------------------------------


def imas_out(standard):
    return {
        "public_id": standard.public_id,
        "reference": standard.reference,
        "title": standard.title,
        "edition": standard.edition,
        "edition_date": standard.edition_date,
    }


def instrument_out(instrument, today):
    return {
        "public_id": instrument.public_id,
        "kind": instrument.kind,
        "reference": instrument.reference,
        "title": instrument.title,
        "description": instrument.description,
        "component": instrument.component,
        "stage": instrument.stage,
        "stage_changed_on": instrument.stage_changed_on,
        "responsible_body": organisation_ref(instrument.responsible_body)
        if instrument.responsible_body
        else None,
        "target_date": instrument.target_date,
        "overdue": instrument.is_overdue(today),
        "version": instrument.version,
        "version_date": instrument.version_date,
        "imas_standard": imas_out(instrument.imas_standard) if instrument.imas_standard else None,
        "imas_edition_followed": instrument.imas_edition_followed,
        "lags_imas": instrument.lags_imas,
        "link": instrument.link,
        "challenges": [
            {"public_id": c.public_id, "reference": c.reference, "title": c.title}
            for c in instrument.visible_challenges
        ],
    }


def advocacy_out(action, visible_meeting_ids):
    meeting = action.meeting if action.meeting_id in visible_meeting_ids else None
    return {
        "public_id": action.public_id,
        "on": action.on,
        "kind": action.kind,
        "description": action.description,
        "organisation": organisation_ref(action.organisation) if action.organisation else None,
        "meeting": None
        if meeting is None
        else {
            "public_id": meeting.public_id,
            "title": str(meeting),
            "starts_at": meeting.starts_at,
        },
        "outcome": action.outcome,
    }


def stage_change_out(change):
    return {
        "public_id": change.public_id,
        "from_stage": change.from_stage,
        "to_stage": change.to_stage,
        "on": change.on,
        "note": change.note,
    }


def _with_related(queryset, user):
    return queryset.select_related("responsible_body", "imas_standard").prefetch_related(
        Prefetch(
            "challenges",
            queryset=access.visible_challenges(user).order_by("-number"),
            to_attr="visible_challenges",
        )
    )


def _get(request, public_id, *, write=False):
    instrument = access.get_instrument_for_user(request.auth, public_id, write=write)
    return _with_related(Instrument.objects, request.auth).get(pk=instrument.pk)


def _advocacy_actions(instrument):
    return instrument.advocacy_actions.select_related("organisation", "meeting__series")


def _visible_meeting_ids(user, actions):
    """The meetings of `actions` (a queryset) that the user may see."""
    meetings = access.visible_meetings(user).filter(pk__in=actions.values("meeting_id"))
    return set(meetings.values_list("pk", flat=True))


def _detail_out(request, instrument):
    actions = _advocacy_actions(instrument)
    meeting_ids = _visible_meeting_ids(request.auth, actions)
    lag = chapter_lag(instrument) if instrument.kind == InstrumentKind.NMAS_CHAPTER else None
    return {
        **instrument_out(instrument, timezone.localdate()),
        "allowed_stages": instrument.allowed_stages(),
        "stage_changes": [stage_change_out(change) for change in instrument.stage_changes.all()],
        "advocacy": [advocacy_out(action, meeting_ids) for action in actions],
        "lag": standard_row_data(lag)["lag"] if lag is not None else None,
    }


def _filter_form(filters, exclude=()):
    """The page's filter form bound to the query sent; a bad value is a 400 here."""
    sent = filters.model_fields_set - set(PageParams.model_fields) - set(exclude)
    form = InstrumentFilterForm(data=filters.model_dump(include=sent, exclude_none=True))
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    return form


def _bind(form, changes):
    """Bind `form` to its record's current values (public ids for related records) with
    `changes` on top: what a PATCH leaves out keeps its value."""
    data = {}
    if form.instance.pk is not None:
        hidden = set(getattr(form, "hidden_challenges", []))
        for name, field in form.fields.items():
            if field.disabled:
                continue
            value = form.initial.get(name)
            if isinstance(value, list):
                value = [item.public_id for item in value if item not in hidden]
            data[name] = value
    data.update(changes)
    form.data = data
    return form


# Instruments -----------------------------------------------------------------------------------


@router.get(
    "/instruments",
    response={200: InstrumentPageOut, **LIST},
    url_name="instrument_list",
    summary="List instruments",
)
def instrument_list(request, filters: Query[InstrumentFilters]):
    """Laws, regulations, strategies, NMAS chapters, SOPs and development-plan integration."""
    access.require_reader(request.auth)
    form = _filter_form(filters)
    today = timezone.localdate()
    instruments = _with_related(
        form.filter(Instrument.objects.all(), today=today), request.auth
    ).order_by("kind", "reference", "title", "id")
    return paginate(instruments, filters, lambda record: instrument_out(record, today))


@router.post(
    "/instruments",
    response={201: InstrumentDetailOut, **CREATE},
    url_name="instrument_create",
    summary="Record an instrument",
)
def instrument_create(request, payload: InstrumentIn):
    """Record an instrument at the stage it has reached (lead authority, secretariat,
    administrators). An NMAS chapter needs its IMAS and the edition followed."""
    access.require_reader(request.auth)
    if not access.can_manage_policies(request.auth):
        raise Problem(403, _("Only those who manage policies record instruments."))
    changes = input_changes(payload, partial=False)
    changes["stage"] = changes.get("stage") or InstrumentStage.NEED_IDENTIFIED
    changes["stage_changed_on"] = (
        changes.get("stage_changed_on") or timezone.localdate().isoformat()
    )
    form = InstrumentCreateForm(data=changes, user=request.auth)
    instrument = save_form(form, services.instrument_save)
    return Status(201, _detail_out(request, _get(request, instrument.public_id)))


@router.get(
    "/instruments/standards",
    response={200: StandardsOut, **LIST},
    url_name="instrument_standards",
    summary="National standards against the IMAS",
)
def instrument_standards(request):
    """Every NMAS chapter against the current edition of the IMAS it follows."""
    access.require_reader(request.auth)
    return {"chapters": [standard_row_data(row) for row in standards_rows()]}


@router.get(
    "/instruments/export",
    response=LIST,
    url_name="instrument_export",
    summary="Export instruments",
    openapi_extra=export_openapi("The instruments as filtered, as CSV or XLSX."),
)
def instrument_export(request, filters: Query[InstrumentExportFilters]):
    """The instrument list with the same filters, as a CSV or XLSX file."""
    access.require_reader(request.auth)
    form = _filter_form(filters, exclude=["format"])
    instruments = services.instruments_for_list(
        form.filter(Instrument.objects.all())
    ).prefetch_related(
        Prefetch(
            "challenges",
            queryset=access.visible_challenges(request.auth).order_by("-number"),
            to_attr="visible_challenges",
        )
    )
    return table_response(
        INSTRUMENT_COLUMNS,
        instruments.order_by("kind", "reference", "title", "id"),
        fmt=filters.format,
        filename="instruments",
        title=_("Instruments"),
    )


@router.get(
    "/instruments/{public_id}",
    response={200: InstrumentDetailOut, **READ},
    url_name="instrument_detail",
    summary="Get an instrument",
)
def instrument_detail(request, public_id: str):
    """The instrument with its stage history, advocacy log and lag behind its IMAS."""
    return _detail_out(request, _get(request, public_id))


@router.patch(
    "/instruments/{public_id}",
    response={200: InstrumentDetailOut, **WRITE},
    url_name="instrument_patch",
    summary="Change an instrument",
)
def instrument_patch(request, public_id: str, payload: InstrumentIn):
    """Change the fields sent (managers). The stage changes through POST .../stage."""
    instrument = _get(request, public_id, write=True)
    changes = input_changes(payload, partial=True)
    refused = [name for name in ("stage", "stage_changed_on") if name in changes]
    if refused:
        raise Problem(
            422,
            errors={
                name: [
                    _(
                        "Change the stage with a POST to the instrument's stage address, which "
                        "records the change in its history."
                    )
                ]
                for name in refused
            },
        )
    form = _bind(InstrumentForm(data={}, instance=instrument, user=request.auth), changes)
    save_form(form, services.instrument_save)
    return _detail_out(request, _get(request, public_id))


@router.post(
    "/instruments/{public_id}/stage",
    response={200: InstrumentDetailOut, **WRITE},
    url_name="instrument_stage",
    summary="Change an instrument's stage",
)
def instrument_stage(request, public_id: str, payload: StageIn):
    """Move the instrument to one of its allowed stages (managers), recording the change."""
    instrument = _get(request, public_id, write=True)
    form = StageChangeForm(data=input_changes(payload, partial=False), instrument=instrument)
    if not form.is_valid():
        raise Problem(422, errors=form_errors(form))
    try:
        services.instrument_change_stage(instrument=instrument, **form.cleaned_data)
    except ValidationError as error:
        raise Problem(422, errors=error.message_dict) from None
    return _detail_out(request, _get(request, public_id))


# Advocacy --------------------------------------------------------------------------------------


@router.get(
    "/instruments/{public_id}/advocacy",
    response={200: AdvocacyPageOut, **READ},
    url_name="advocacy_list",
    summary="List an instrument's advocacy",
)
def advocacy_list(request, public_id: str, page: Query[PageParams]):
    """The instrument's advocacy log, latest first."""
    instrument = access.get_instrument_for_user(request.auth, public_id)
    actions = _advocacy_actions(instrument)
    meeting_ids = _visible_meeting_ids(request.auth, actions)
    return paginate(actions, page, lambda action: advocacy_out(action, meeting_ids))


@router.post(
    "/instruments/{public_id}/advocacy",
    response={201: AdvocacyOut, **WRITE},
    url_name="advocacy_create",
    summary="Log advocacy for an instrument",
)
def advocacy_create(request, public_id: str, payload: AdvocacyIn):
    """Log an advocacy action: managers for any organisation, anyone speaking for an
    organisation for their own."""
    instrument = access.get_instrument_for_user(request.auth, public_id)
    if not access.can_log_advocacy(request.auth):
        raise PermissionDenied
    form = AdvocacyActionForm(
        data=input_changes(payload, partial=False),
        instance=AdvocacyAction(instrument=instrument),
        user=request.auth,
    )
    action = save_form(form, advocacy_services.advocacy_save)
    saved = _advocacy_actions(instrument).filter(pk=action.pk)
    return Status(201, advocacy_out(saved.get(), _visible_meeting_ids(request.auth, saved)))


# The IMAS catalogue ----------------------------------------------------------------------------


@router.get(
    "/imas-standards",
    response={200: ImasPageOut, **LIST},
    url_name="imas_list",
    summary="List the IMAS catalogue",
)
def imas_list(request, page: Query[PageParams]):
    """The IMAS and their current editions, by number."""
    access.require_reader(request.auth)
    return paginate(ImasStandard.objects.order_by("reference"), page, imas_out)


@router.post(
    "/imas-standards",
    response={201: ImasOut, **CREATE},
    url_name="imas_create",
    summary="Add an IMAS",
)
def imas_create(request, payload: ImasIn):
    """Add an IMAS to the catalogue (lead authority, secretariat, administrators)."""
    access.require_reader(request.auth)
    if not access.can_manage_policies(request.auth):
        raise Problem(403, _("Only those who manage policies change the IMAS catalogue."))
    form = ImasStandardForm(data=input_changes(payload, partial=False))
    return Status(201, imas_out(save_form(form)))


@router.patch(
    "/imas-standards/{public_id}",
    response={200: ImasOut, **WRITE},
    url_name="imas_patch",
    summary="Change an IMAS",
)
def imas_patch(request, public_id: str, payload: ImasIn):
    """Change the fields sent, such as a new edition and its date (managers)."""
    standard = access.get_imas_standard_for_user(request.auth, public_id, write=True)
    form = _bind(ImasStandardForm(data={}, instance=standard), input_changes(payload, partial=True))
    return imas_out(save_form(form))
