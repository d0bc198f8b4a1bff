"""API for organisations, people, memberships, the lead donor rotation and working groups.

Every endpoint fetches through the access gates of `core/access.py` and writes through the same
forms (and services) as the pages, so the rules and the messages are the same everywhere.
"""

import datetime
import uuid

from django.conf import settings
from django.db.models import Prefetch
from django.forms.models import model_to_dict
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
    save_form,
    text,
)
from mineaction.core.choices import Component, Role
from mineaction.stakeholders import services
from mineaction.stakeholders.forms import (
    MembershipForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    PersonForm,
)
from mineaction.stakeholders.models import (
    AgeBand,
    LeadDonorTerm,
    Membership,
    Organisation,
    OrganisationType,
    Person,
    Sex,
    SurvivorStatus,
    WorkingGroup,
)

router = Router(tags=["stakeholders"])
# Filters of the list pages' forms that some users may not use.
FILTERED = {"sex", "age_band"}

READ = error_responses(403, 404)
WRITE = error_responses(400, 403, 404, 409, 422)
LIST = error_responses(400, 403)


def _require_manager(user):
    access.require_reader(user)
    if not access.can_manage_members(user):
        raise Problem(
            403, _("Only the lead authority, the secretariat and administrators manage members.")
        )


def _bind(form_class, payload, instance, *, partial, references=(), **form_kwargs):
    """A bound form: for PATCH the record's current values with the fields sent on top, for
    POST and PUT the fields sent with their defaults.

    `references` are foreign keys that the API names by public id rather than by database id.
    Fields the form leaves out for this user (such as survivor status) may not be sent (403);
    fields it shows but disables (such as a membership's person) may not be changed (422).
    """
    form = form_class(data={}, instance=instance, **form_kwargs)
    sent = payload.model_fields_set
    refused = sorted(sent - set(form.fields))
    if refused:
        raise Problem(
            403,
            _("You are not allowed to change some of the fields sent."),
            errors={name: [_("You are not allowed to change this field.")] for name in refused},
        )
    changes = {
        name: value
        for name, value in input_changes(payload, partial=partial).items()
        if name in form.fields
    }
    data = model_to_dict(instance, fields=list(form.fields)) if partial else {}
    for name in references:
        field = form.fields.get(name)
        if field is None:
            continue
        if field.disabled:
            related = getattr(instance, name)
            if name in sent and changes[name] != str(related.public_id):
                raise Problem(422, errors={name: [_("This cannot be changed.")]})
            continue
        field.to_field_name = "public_id"
        if partial:
            related = getattr(instance, name)
            data[name] = related.public_id if related is not None else None
    data.update(changes)
    form.data = data
    return form


def _filter_form(form_class, filters, **form_kwargs):
    """The list page's filter form, bound to the query; a bad value is a 400 here (the page
    reports and ignores it). Filters the form leaves out for this user are refused (403)."""
    sent = filters.model_fields_set - set(PageParams.model_fields)
    form = form_class(data=filters.model_dump(include=sent), **form_kwargs)
    refused = sorted(name for name in sent if name not in form.fields and name in FILTERED)
    if refused:
        raise Problem(
            403,
            _("You are not allowed to filter by some of these fields."),
            errors={name: [_("You are not allowed to filter by this field.")] for name in refused},
        )
    if not form.is_valid():
        raise Problem(400, errors=form_errors(form))
    return form


# Organisations ---------------------------------------------------------------------------------


class OrganisationOut(Schema):
    public_id: uuid.UUID
    name: str
    acronym: str
    type: OrganisationType
    country: str
    website: str
    email: str
    description: str
    is_active: bool
    iati_identifier: str = Field(description="IATI organisation identifier, such as GB-GOV-1.")
    created_at: datetime.datetime
    updated_at: datetime.datetime


class OrganisationPageOut(PageOut):
    results: list[OrganisationOut]


class OrganisationIn(Schema):
    model_config = {"extra": "forbid", "json_schema_extra": input_schema_extra(["name", "type"])}

    name: str | None = text()
    acronym: str | None = text()
    type: str | None = choice(OrganisationType.choices)
    country: str | None = text("ISO 3166 alpha-3 code of the country where it is based.")
    website: str | None = text(format="uri")
    email: str | None = text(format="email")
    description: str | None = text()
    is_active: bool = True
    iati_identifier: str | None = text(
        "IATI organisation identifier (such as GB-GOV-1): IATI imports find the donor by it."
    )


class OrganisationFilters(PageParams):
    q: str | None = Field(None, description="Words in the name or acronym.")
    type: str | None = choice(OrganisationType.choices)
    active: str | None = Field(None, json_schema_extra={"enum": ["yes", "no"]})


def organisation_out(organisation):
    return {
        "public_id": organisation.public_id,
        "name": organisation.name,
        "acronym": organisation.acronym,
        "type": organisation.type,
        "country": organisation.country,
        "website": organisation.website,
        "email": organisation.email,
        "description": organisation.description,
        "is_active": organisation.is_active,
        "iati_identifier": organisation.iati_identifier,
        "created_at": organisation.created_at,
        "updated_at": organisation.updated_at,
    }


@router.get(
    "/organisations", response={200: OrganisationPageOut, **LIST}, summary="List organisations"
)
def organisation_list(request, filters: Query[OrganisationFilters]):
    """Organisations taking part in the platform, by name."""
    access.require_reader(request.auth)
    form = _filter_form(OrganisationFilterForm, filters)
    organisations = form.filter(Organisation.objects.order_by("name", "pk"))
    return paginate(organisations, filters, organisation_out)


@router.get(
    "/organisations/{public_id}",
    response={200: OrganisationOut, **READ},
    summary="Get an organisation",
)
def organisation_detail(request, public_id: str):
    return organisation_out(access.get_organisation_for_user(request.auth, public_id))


@router.post(
    "/organisations", response={201: OrganisationOut, **WRITE}, summary="Create an organisation"
)
def organisation_create(request, payload: OrganisationIn):
    """Register an organisation (lead authority, secretariat, administrators)."""
    _require_manager(request.auth)
    form = _bind(OrganisationForm, payload, None, partial=False)
    return Status(201, organisation_out(save_form(form)))


def _organisation_update(request, public_id, payload, *, partial):
    organisation = access.get_organisation_for_user(request.auth, public_id, write=True)
    form = _bind(OrganisationForm, payload, organisation, partial=partial)
    return organisation_out(save_form(form))


@router.patch(
    "/organisations/{public_id}",
    response={200: OrganisationOut, **WRITE},
    summary="Change an organisation",
)
def organisation_patch(request, public_id: str, payload: OrganisationIn):
    """Change the fields sent; the others keep their values."""
    return _organisation_update(request, public_id, payload, partial=True)


@router.put(
    "/organisations/{public_id}",
    response={200: OrganisationOut, **WRITE},
    summary="Replace an organisation",
)
def organisation_put(request, public_id: str, payload: OrganisationIn):
    """Replace the organisation: fields not sent become empty (or their default)."""
    return _organisation_update(request, public_id, payload, partial=False)


# People ----------------------------------------------------------------------------------------

PERSONAL_FILTER_NOTE = "Only for the lead authority, the secretariat and administrators."
SENSITIVE_NOTE = "Present only for the lead authority, the secretariat and administrators."
PERSONAL_NOTE = (
    "Present only for the lead authority, the secretariat, administrators and the person "
    "themselves."
)


class PersonOut(Schema):
    public_id: uuid.UUID
    given_name: str
    family_name: str
    job_title: str
    email: str | None
    phone: str
    organisation: OrganisationRefOut
    language: str
    has_log_in: bool
    sex: Sex | None = Field(None, description=PERSONAL_NOTE)
    age_band: AgeBand | None = Field(None, description=PERSONAL_NOTE)
    survivor_status: SurvivorStatus | None = Field(None, description=SENSITIVE_NOTE)


class PersonPageOut(PageOut):
    results: list[PersonOut]


class PersonIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["given_name", "family_name", "organisation"]),
    }

    given_name: str | None = text()
    family_name: str | None = text()
    job_title: str | None = text()
    email: str | None = text(format="email")
    phone: str | None = text()
    organisation: str | None = public_id_field("Public id of an active organisation.")
    sex: str | None = Field(Sex.UNDISCLOSED, json_schema_extra={"enum": Sex.values})
    age_band: str | None = Field(AgeBand.UNDISCLOSED, json_schema_extra={"enum": AgeBand.values})
    survivor_status: str | None = Field(
        None,
        description="Accepted only from the lead authority, the secretariat and administrators.",
        json_schema_extra={"enum": SurvivorStatus.values},
    )
    language: str | None = Field(
        "en", json_schema_extra={"enum": [code for code, _name in settings.LANGUAGES]}
    )


class PersonFilters(PageParams):
    q: str | None = Field(None, description="Words in the name, email or organisation.")
    organisation_type: str | None = choice(OrganisationType.choices)
    role: str | None = choice(Role.choices, "People holding this role today.")
    sex: str | None = choice(Sex.choices, PERSONAL_FILTER_NOTE)
    age_band: str | None = choice(AgeBand.choices, PERSONAL_FILTER_NOTE)
    organisation: uuid.UUID | None = Field(None, description="Public id of an organisation.")


def person_out(person, viewer):
    sensitive = access.can_see_sensitive(viewer)
    own = access.person_of(viewer)
    data = {
        **person_ref(person),
        "job_title": person.job_title,
        "email": person.email,
        "phone": person.phone,
        "language": person.language,
        "has_log_in": person.user_id is not None,
    }
    if sensitive or (own is not None and own.pk == person.pk):
        data["sex"] = person.sex
        data["age_band"] = person.age_band
    if sensitive:
        data["survivor_status"] = person.survivor_status
    return data


@router.get(
    "/people", response={200: PersonPageOut, **LIST}, exclude_unset=True, summary="List people"
)
def person_list(request, filters: Query[PersonFilters]):
    """People of the platform's organisations, by family name."""
    access.require_reader(request.auth)
    form = _filter_form(PersonFilterForm, filters, sensitive=access.can_see_sensitive(request.auth))
    people = form.filter(
        Person.objects.select_related("organisation").order_by("family_name", "given_name", "pk")
    )
    if filters.organisation:
        people = people.filter(organisation__public_id=filters.organisation)
    return paginate(people, filters, lambda person: person_out(person, request.auth))


@router.get(
    "/people/{public_id}",
    response={200: PersonOut, **READ},
    exclude_unset=True,
    summary="Get a person",
)
def person_detail(request, public_id: str):
    return person_out(access.get_person_for_user(request.auth, public_id), request.auth)


def _person_form(request, payload, person, *, partial):
    sensitive = access.can_see_sensitive(request.auth)
    form = _bind(
        PersonForm,
        payload,
        person,
        partial=partial,
        references=["organisation"],
        sensitive=sensitive,
        own_record=person is not None and not access.can_manage_members(request.auth),
    )
    if sensitive and not partial and form.data.get("survivor_status") is None:
        form.data["survivor_status"] = SurvivorStatus.UNKNOWN
    return form


@router.post(
    "/people", response={201: PersonOut, **WRITE}, exclude_unset=True, summary="Create a person"
)
def person_create(request, payload: PersonIn):
    """Register a person (lead authority, secretariat, administrators)."""
    _require_manager(request.auth)
    form = _person_form(request, payload, None, partial=False)
    return Status(201, person_out(save_form(form, services.person_save), request.auth))


def _person_update(request, public_id, payload, *, partial):
    person = access.get_person_for_user(request.auth, public_id, write=True)
    form = _person_form(request, payload, person, partial=partial)
    return person_out(save_form(form, services.person_save), request.auth)


@router.patch(
    "/people/{public_id}",
    response={200: PersonOut, **WRITE},
    exclude_unset=True,
    summary="Change a person",
)
def person_patch(request, public_id: str, payload: PersonIn):
    """Change the fields sent (managers of members, or the person themselves)."""
    return _person_update(request, public_id, payload, partial=True)


@router.put(
    "/people/{public_id}",
    response={200: PersonOut, **WRITE},
    exclude_unset=True,
    summary="Replace a person",
)
def person_put(request, public_id: str, payload: PersonIn):
    """Replace the person's details: fields not sent become empty (or their default)."""
    return _person_update(request, public_id, payload, partial=False)


# Memberships -----------------------------------------------------------------------------------


class MembershipOut(Schema):
    public_id: uuid.UUID
    person: PersonRefOut
    role: Role
    starts_on: datetime.date
    ends_on: datetime.date | None
    notes: str
    current: bool = Field(description="Whether the term covers today.")


class MembershipPageOut(PageOut):
    results: list[MembershipOut]


class MembershipIn(Schema):
    model_config = {
        "extra": "forbid",
        "json_schema_extra": input_schema_extra(["person", "role", "starts_on"]),
    }

    person: str | None = public_id_field("Public id of the person.")
    role: str | None = choice(Role.choices)
    starts_on: str | None = date()
    ends_on: str | None = date("Empty for an open-ended term.")
    notes: str | None = text()


class MembershipEndIn(Schema):
    model_config = {"extra": "forbid"}

    ends_on: str | None = date("The last day of the term; today when not sent.")


class MembershipFilters(PageParams):
    person: uuid.UUID | None = Field(None, description="Public id of a person.")
    role: Role | None = None
    current: bool | None = Field(
        None, description="true: terms covering today; false: past and future terms."
    )


def membership_out(membership, today):
    return {
        "public_id": membership.public_id,
        "person": person_ref(membership.person),
        "role": membership.role,
        "starts_on": membership.starts_on,
        "ends_on": membership.ends_on,
        "notes": membership.notes,
        "current": membership.starts_on <= today
        and (membership.ends_on is None or membership.ends_on >= today),
    }


@router.get("/memberships", response={200: MembershipPageOut, **LIST}, summary="List memberships")
def membership_list(request, filters: Query[MembershipFilters]):
    """Memberships (a person's role for a dated term), latest first."""
    access.require_reader(request.auth)
    today = timezone.localdate()
    memberships = Membership.objects.select_related("person__organisation")
    if filters.person:
        memberships = memberships.filter(person__public_id=filters.person)
    if filters.role:
        memberships = memberships.filter(role=filters.role)
    if filters.current is not None:
        current = Membership.objects.current(today).values("pk")
        memberships = (
            memberships.filter(pk__in=current)
            if filters.current
            else memberships.exclude(pk__in=current)
        )
    return paginate(memberships, filters, lambda membership: membership_out(membership, today))


@router.get(
    "/memberships/{public_id}", response={200: MembershipOut, **READ}, summary="Get a membership"
)
def membership_detail(request, public_id: str):
    membership = access.get_membership_for_user(request.auth, public_id)
    return membership_out(membership, timezone.localdate())


def _require_grantable(user, role):
    if role in Role.values and not access.can_grant_role(user, role):
        raise Problem(
            403,
            _("You are not allowed to grant the role %(role)s.") % {"role": Role(role).label},
            errors={"role": [_("Only the lead authority and administrators grant this role.")]},
        )


@router.post("/memberships", response={201: MembershipOut, **WRITE}, summary="Create a membership")
def membership_create(request, payload: MembershipIn):
    """Give a person a role for a term (lead authority, secretariat, administrators; only the
    lead authority and administrators grant the lead authority and secretariat roles)."""
    _require_manager(request.auth)
    _require_grantable(request.auth, payload.role)
    form = _bind(MembershipForm, payload, None, partial=False, references=["person"])
    return Status(201, membership_out(save_form(form), timezone.localdate()))


def _membership_update(request, public_id, changes, *, partial):
    membership = access.get_membership_for_user(request.auth, public_id, write=True)
    if "role" in changes.model_fields_set:
        _require_grantable(request.auth, changes.role)
    form = _bind(MembershipForm, changes, membership, partial=partial, references=["person"])
    return membership_out(save_form(form), timezone.localdate())


@router.patch(
    "/memberships/{public_id}",
    response={200: MembershipOut, **WRITE},
    summary="Change a membership",
)
def membership_patch(request, public_id: str, payload: MembershipIn):
    """Change the fields sent, for example `ends_on` to end the term."""
    return _membership_update(request, public_id, payload, partial=True)


@router.put(
    "/memberships/{public_id}",
    response={200: MembershipOut, **WRITE},
    summary="Replace a membership",
)
def membership_put(request, public_id: str, payload: MembershipIn):
    """Replace the membership: fields not sent become empty."""
    return _membership_update(request, public_id, payload, partial=False)


@router.post(
    "/memberships/{public_id}/end",
    response={200: MembershipOut, **WRITE},
    summary="End a membership",
)
def membership_end(request, public_id: str, payload: MembershipEndIn):
    """End the term on `ends_on` (today when not sent)."""
    if "ends_on" not in payload.model_fields_set:
        payload = MembershipEndIn(ends_on=timezone.localdate().isoformat())
    return _membership_update(request, public_id, payload, partial=True)


# Lead donor rotation ---------------------------------------------------------------------------


class LeadDonorTermOut(Schema):
    public_id: uuid.UUID
    organisation: OrganisationRefOut
    starts_on: datetime.date
    ends_on: datetime.date
    notes: str
    current: bool = Field(description="Whether the term covers today: the current lead donor.")


class LeadDonorTermPageOut(PageOut):
    results: list[LeadDonorTermOut]


def lead_donor_term_out(term, today):
    return {
        "public_id": term.public_id,
        "organisation": organisation_ref(term.organisation),
        "starts_on": term.starts_on,
        "ends_on": term.ends_on,
        "notes": term.notes,
        "current": term.starts_on <= today <= term.ends_on,
    }


@router.get(
    "/lead-donor-terms",
    response={200: LeadDonorTermPageOut, **LIST},
    summary="List the lead donor rotation",
)
def lead_donor_term_list(request, filters: Query[PageParams]):
    """The lead donor rotation, earliest term first."""
    access.require_reader(request.auth)
    today = timezone.localdate()
    terms = LeadDonorTerm.objects.select_related("organisation")
    return paginate(terms, filters, lambda term: lead_donor_term_out(term, today))


# Working groups --------------------------------------------------------------------------------


class WorkingGroupOut(Schema):
    public_id: uuid.UUID
    name: str
    component: Component
    mandate: str
    conveners: list[PersonRefOut]
    members: list[PersonRefOut]


class WorkingGroupPageOut(PageOut):
    results: list[WorkingGroupOut]


class WorkingGroupFilters(PageParams):
    component: Component | None = None


def _working_groups():
    people = Person.objects.select_related("organisation")
    return WorkingGroup.objects.prefetch_related(
        Prefetch("conveners", queryset=people), Prefetch("members", queryset=people)
    )


def working_group_out(group):
    return {
        "public_id": group.public_id,
        "name": group.name,
        "component": group.component,
        "mandate": group.mandate,
        "conveners": [person_ref(person) for person in group.conveners.all()],
        "members": [person_ref(person) for person in group.members.all()],
    }


@router.get(
    "/working-groups", response={200: WorkingGroupPageOut, **LIST}, summary="List working groups"
)
def working_group_list(request, filters: Query[WorkingGroupFilters]):
    """Working groups, by component and name, with their conveners and members."""
    access.require_reader(request.auth)
    groups = _working_groups()
    if filters.component:
        groups = groups.filter(component=filters.component)
    return paginate(groups, filters, working_group_out)


@router.get(
    "/working-groups/{public_id}",
    response={200: WorkingGroupOut, **READ},
    summary="Get a working group",
)
def working_group_detail(request, public_id: str):
    access.get_working_group_for_user(request.auth, public_id)
    return working_group_out(_working_groups().get(public_id=public_id))


# Participation ---------------------------------------------------------------------------------


class ParticipationShareOut(Schema):
    key: str
    label: str
    count: int
    share: float
    percent: float


class ConstituencyOut(Schema):
    key: str
    label: str
    count: int
    share: float
    percent: float
    thin_share: float
    status: str = Field(description="missing, thin or represented")


class ParticipationOut(Schema):
    on: datetime.date
    total: int = Field(description="People with a membership current on that date.")
    by_organisation_type: list[ParticipationShareOut]
    by_sex: list[ParticipationShareOut]
    by_age_band: list[ParticipationShareOut]
    constituencies: list[ConstituencyOut]
    thin_minimum_people: int
    thin_share: float


class ParticipationParams(Schema):
    on: datetime.date | None = Field(None, description="The date to count on; today when empty.")


@router.get(
    "/participation",
    response={200: ParticipationOut, **LIST},
    summary="Participation overview",
)
def participation(request, params: Query[ParticipationParams]):
    """The participation page as data: members by organisation type, sex and age band, and the
    constituencies that are missing or thin."""
    access.require_reader(request.auth)
    return services.participation_summary(on=params.on)
