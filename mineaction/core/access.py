"""Access gates: every view and API endpoint fetches records through these functions.

Rules (DESIGN.md section 4): an outsider gets 404, a reader without write rights gets 403, an
anonymous visitor is sent to log in by the view decorators. Roles come from the person's
current memberships; see `roles_of`. Models of higher apps are looked up by name so that
`core` imports nothing of ours.
"""

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from mineaction.core.choices import ADMINISTRATOR, LEAD_DONOR, Role

READERS = {
    Role.LEAD_AUTHORITY,
    Role.SECRETARIAT,
    Role.DATA_MANAGER,
    Role.MEMBER,
    Role.OBSERVER,
    LEAD_DONOR,
    ADMINISTRATOR,
}
MEMBER_MANAGERS = {ADMINISTRATOR, Role.LEAD_AUTHORITY, Role.SECRETARIAT}
PRIVILEGED = {ADMINISTRATOR, Role.LEAD_AUTHORITY, Role.SECRETARIAT}
SENSITIVE_READERS = {ADMINISTRATOR, Role.LEAD_AUTHORITY, Role.SECRETARIAT}
AUDIT_READERS = {ADMINISTRATOR, Role.LEAD_AUTHORITY}
PROFILE_EDITORS = {ADMINISTRATOR, Role.LEAD_AUTHORITY}
# Roles that only an administrator or the lead authority may grant.
SENIOR_ROLES = {Role.LEAD_AUTHORITY, Role.SECRETARIAT}


def _model(label):
    return apps.get_model(*label.split("."))


def person_of(user):
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return user.person
    except _model("stakeholders.Person").DoesNotExist:
        return None


def roles_of(user):
    """The set of roles the user holds today (cached on the user object per request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_platform_roles", None)
    if cached is not None:
        return cached
    roles = set()
    if user.is_superuser:
        roles.add(ADMINISTRATOR)
    person = person_of(user)
    if person is not None:
        today = timezone.localdate()
        roles.update(person.memberships.current(today).values_list("role", flat=True))
        lead_donor_terms = _model("stakeholders.LeadDonorTerm").objects.current(today)
        if roles and lead_donor_terms.filter(organisation_id=person.organisation_id).exists():
            roles.add(LEAD_DONOR)
    user._platform_roles = frozenset(roles)
    return user._platform_roles


def has_role(user, *roles):
    return bool(roles_of(user) & set(roles))


def is_reader(user):
    return bool(roles_of(user) & READERS)


def is_privileged(user):
    """Roles that must use two-factor authentication."""
    return bool(roles_of(user) & PRIVILEGED)


def can_manage_members(user):
    return bool(roles_of(user) & MEMBER_MANAGERS)


def can_see_sensitive(user):
    return bool(roles_of(user) & SENSITIVE_READERS)


def can_read_audit(user):
    return bool(roles_of(user) & AUDIT_READERS)


def can_edit_profile(user):
    return bool(roles_of(user) & PROFILE_EDITORS)


def can_grant_role(user, role):
    if role in SENIOR_ROLES:
        return has_role(user, ADMINISTRATOR, Role.LEAD_AUTHORITY)
    return can_manage_members(user)


def require_reader(user):
    """Pages for members: anyone logged in but without a current membership is refused."""
    if not is_reader(user):
        raise PermissionDenied


def _gate(user, queryset, public_id, *, write, can_write):
    if not is_reader(user):
        raise Http404
    try:
        record = queryset.get(public_id=public_id)
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
    if write and not can_write(user, record):
        raise PermissionDenied
    return record


def get_organisation_for_user(user, public_id, *, write=False):
    queryset = _model("stakeholders.Organisation").objects.all()
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _record: can_manage_members(u)
    )


def can_edit_person(user, person):
    own = person_of(user)
    return can_manage_members(user) or (own is not None and own.pk == person.pk)


def get_person_for_user(user, public_id, *, write=False):
    queryset = _model("stakeholders.Person").objects.select_related("organisation", "user")
    return _gate(user, queryset, public_id, write=write, can_write=can_edit_person)


def get_membership_for_user(user, public_id, *, write=False):
    queryset = _model("stakeholders.Membership").objects.select_related(
        "person", "person__organisation"
    )
    return _gate(
        user,
        queryset,
        public_id,
        write=write,
        can_write=lambda u, m: can_manage_members(u) and can_grant_role(u, m.role),
    )


def get_lead_donor_term_for_user(user, public_id, *, write=False):
    queryset = _model("stakeholders.LeadDonorTerm").objects.select_related("organisation")
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _record: can_manage_members(u)
    )


def get_working_group_for_user(user, public_id, *, write=False):
    queryset = _model("stakeholders.WorkingGroup").objects.all()
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _record: can_manage_members(u)
    )


# Meetings ----------------------------------------------------------------------------------------

MEETING_RUNNERS = {ADMINISTRATOR, Role.LEAD_AUTHORITY, Role.SECRETARIAT}
MINUTES_APPROVERS = {Role.LEAD_AUTHORITY}


def can_run_meetings(user):
    """The secretariat runs the meeting cycle for the lead authority."""
    return bool(roles_of(user) & MEETING_RUNNERS)


def can_approve_minutes(user):
    return bool(roles_of(user) & MINUTES_APPROVERS)


def visible_meetings(user, queryset=None):
    """Meetings the user may see: members' meetings to every reader, restricted ones to the
    named organisations and to those who run meetings."""
    Meeting = _model("meetings.Meeting")
    queryset = Meeting.objects.all() if queryset is None else queryset
    if not is_reader(user):
        return queryset.none()
    if can_run_meetings(user):
        return queryset
    person = person_of(user)
    organisation_id = person.organisation_id if person else None
    return queryset.filter(
        ~Q(visibility="restricted") | Q(restricted_to__id=organisation_id)
    ).distinct()


def require_meeting_runner(user):
    require_reader(user)
    if not can_run_meetings(user):
        raise PermissionDenied


def get_meeting_for_user(user, public_id, *, write=False):
    queryset = visible_meetings(user).select_related("series", "chair", "convener")
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _record: can_run_meetings(u)
    )


def _meeting_part_gate(user, label, public_id, *, write, can_write=None):
    """A record that belongs to a meeting is visible when its meeting is."""
    model = _model(label)
    queryset = model.objects.filter(meeting__in=visible_meetings(user)).select_related("meeting")
    return _gate(
        user,
        queryset,
        public_id,
        write=write,
        can_write=can_write or (lambda u, _record: can_run_meetings(u)),
    )


def get_agenda_item_for_user(user, public_id, *, write=False):
    return _meeting_part_gate(user, "meetings.AgendaItem", public_id, write=write)


def get_invitation_for_user(user, public_id, *, write=False):
    return _meeting_part_gate(user, "meetings.Invitation", public_id, write=write)


# Minutes other readers may see: draft minutes are the secretariat's working text until they
# are circulated for amendment.
MINUTES_SHOWN_TO_READERS = {"circulated", "approved", "distributed"}


def visible_minutes(user, queryset=None):
    """Minutes of the meetings the user may see; drafts only to those who run meetings."""
    Minutes = _model("meetings.Minutes")
    queryset = Minutes.objects.all() if queryset is None else queryset
    queryset = queryset.filter(meeting__in=visible_meetings(user))
    if can_run_meetings(user):
        return queryset
    return queryset.filter(status__in=MINUTES_SHOWN_TO_READERS)


def get_minutes_for_user(user, public_id, *, write=False):
    queryset = visible_minutes(user).select_related("meeting")
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _record: can_run_meetings(u)
    )


def can_update_action_point(user, action_point):
    """The secretariat, or anyone of the owner organisation, records progress."""
    if can_run_meetings(user):
        return True
    person = person_of(user)
    return (
        person is not None
        and has_role(user, Role.MEMBER, Role.LEAD_AUTHORITY, Role.DATA_MANAGER, LEAD_DONOR)
        and person.organisation_id == action_point.owner_organisation_id
    )


def get_action_point_for_user(user, public_id, *, write=False):
    return _meeting_part_gate(
        user, "meetings.ActionPoint", public_id, write=write, can_write=can_update_action_point
    )


# Article 5 data (landrelease) ---------------------------------------------------------------------

# Members read every Article 5 figure and the precise hazard geometry; the public site sees
# totals per admin area only. The data manager imports and edits the data.
LAND_DATA_MANAGERS = {ADMINISTRATOR, Role.LEAD_AUTHORITY, Role.DATA_MANAGER}


def can_manage_land_data(user):
    return bool(roles_of(user) & LAND_DATA_MANAGERS)


def require_land_data_manager(user):
    require_reader(user)
    if not can_manage_land_data(user):
        raise PermissionDenied


def _land_gate(user, label, public_id, *, write, select_related=()):
    queryset = _model(label).objects.all()
    if select_related:
        queryset = queryset.select_related(*select_related)
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _record: can_manage_land_data(u)
    )


def get_admin_area_for_user(user, public_id, *, write=False):
    return _land_gate(
        user, "landrelease.AdminArea", public_id, write=write, select_related=["parent"]
    )


def get_hazard_area_for_user(user, public_id, *, write=False):
    return _land_gate(
        user,
        "landrelease.HazardArea",
        public_id,
        write=write,
        select_related=["admin_area", "source_organisation"],
    )


def get_land_release_for_user(user, public_id, *, write=False):
    return _land_gate(
        user,
        "landrelease.LandRelease",
        public_id,
        write=write,
        select_related=["hazard_area", "operator"],
    )


def get_milestone_for_user(user, public_id, *, write=False):
    return _land_gate(
        user, "landrelease.Article5Milestone", public_id, write=write, select_related=["admin_area"]
    )


def get_import_job_for_user(user, public_id):
    """Imports and their reports are the data managers' own working records."""
    return _land_gate(
        user, "landrelease.ImportJob", public_id, write=True, select_related=["mapping"]
    )


def get_import_mapping_for_user(user, public_id, *, write=False):
    return _land_gate(user, "landrelease.ImportMapping", public_id, write=write)


# Challenges and prioritisation rounds -------------------------------------------------------------

# Who speaks for an organisation: raises challenges, votes in prioritisation rounds, reports
# progress on its activities and logs its advocacy. Observers only read.
ORGANISATION_VOICES = {
    Role.MEMBER,
    Role.LEAD_AUTHORITY,
    Role.SECRETARIAT,
    Role.DATA_MANAGER,
    LEAD_DONOR,
}


def speaks_for_organisation(user):
    """The user holds a role that acts for their organisation, and has one."""
    person = person_of(user)
    return person is not None and bool(roles_of(user) & ORGANISATION_VOICES)


def can_raise_challenge(user):
    return speaks_for_organisation(user) or has_role(user, ADMINISTRATOR)


def visible_challenges(user, queryset=None):
    """Members' challenges to every reader; restricted ones to the named organisations, to the
    organisation that raised them and to those who run the platform's meetings."""
    Challenge = _model("challenges.Challenge")
    queryset = Challenge.objects.all() if queryset is None else queryset
    if not is_reader(user):
        return queryset.none()
    if can_run_meetings(user):
        return queryset
    person = person_of(user)
    organisation_id = person.organisation_id if person else None
    restricted_ids = (
        Challenge.objects.filter(visibility="restricted")
        .exclude(restricted_to__id=organisation_id)
        .exclude(raised_by_organisation_id=organisation_id)
        .values("pk")
    )
    return queryset.exclude(pk__in=restricted_ids)


def can_edit_challenge(user, challenge):
    """The secretariat edits any challenge; the raising organisation edits its own text until
    the platform has taken it up."""
    if can_run_meetings(user):
        return True
    person = person_of(user)
    return (
        speaks_for_organisation(user)
        and person.organisation_id == challenge.raised_by_organisation_id
        and challenge.status == "identified"
    )


def can_change_challenge_status(user):
    return can_run_meetings(user)


def get_challenge_for_user(user, public_id, *, write=False):
    queryset = visible_challenges(user).select_related(
        "region", "raised_by", "raised_by_organisation", "prioritised_in"
    )
    return _gate(user, queryset, public_id, write=write, can_write=can_edit_challenge)


def get_challenge_document_for_user(user, public_id, *, write=False):
    queryset = _model("challenges.ChallengeDocument").objects.filter(
        challenge__in=visible_challenges(user)
    )
    return _gate(
        user,
        queryset.select_related("challenge"),
        public_id,
        write=write,
        can_write=lambda u, document: can_edit_challenge(u, document.challenge),
    )


def get_round_for_user(user, public_id, *, write=False):
    queryset = _model("challenges.PrioritisationRound").objects.all()
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _record: can_run_meetings(u)
    )


def can_vote(user):
    """One ballot per organisation, cast by someone who speaks for it."""
    return speaks_for_organisation(user)


# Work plans ---------------------------------------------------------------------------------------

WORK_PLAN_MANAGERS = {ADMINISTRATOR, Role.LEAD_AUTHORITY, Role.SECRETARIAT}


def can_manage_work_plans(user):
    return bool(roles_of(user) & WORK_PLAN_MANAGERS)


def require_work_plan_manager(user):
    require_reader(user)
    if not can_manage_work_plans(user):
        raise PermissionDenied


def can_update_activity(user, activity):
    """Those who manage work plans, or anyone speaking for the responsible organisation."""
    if can_manage_work_plans(user):
        return True
    person = person_of(user)
    return (
        speaks_for_organisation(user)
        and person.organisation_id == activity.responsible_organisation_id
    )


def get_work_plan_for_user(user, public_id, *, write=False):
    queryset = _model("workplans.WorkPlan").objects.select_related("owner")
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _r: can_manage_work_plans(u)
    )


def get_activity_for_user(user, public_id, *, write=False):
    queryset = _model("workplans.Activity").objects.select_related(
        "work_plan", "responsible_organisation"
    )
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _r: can_manage_work_plans(u)
    )


def get_activity_for_progress(user, public_id):
    """An activity whose progress the user may report (403 for other readers)."""
    queryset = _model("workplans.Activity").objects.select_related(
        "work_plan", "responsible_organisation"
    )
    return _gate(user, queryset, public_id, write=True, can_write=can_update_activity)


def get_work_plan_milestone_for_user(user, public_id, *, write=False):
    queryset = _model("workplans.Milestone").objects.select_related("work_plan", "activity")
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _r: can_manage_work_plans(u)
    )


# Policies and standards ---------------------------------------------------------------------------

POLICY_MANAGERS = {ADMINISTRATOR, Role.LEAD_AUTHORITY, Role.SECRETARIAT}


def can_manage_policies(user):
    return bool(roles_of(user) & POLICY_MANAGERS)


def require_policy_manager(user):
    require_reader(user)
    if not can_manage_policies(user):
        raise PermissionDenied


def can_log_advocacy(user):
    """Managers log any advocacy; a member logs what their own organisation did."""
    return can_manage_policies(user) or speaks_for_organisation(user)


def get_instrument_for_user(user, public_id, *, write=False):
    queryset = _model("policies.Instrument").objects.select_related(
        "responsible_body", "imas_standard"
    )
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _r: can_manage_policies(u)
    )


def get_imas_standard_for_user(user, public_id, *, write=False):
    queryset = _model("policies.ImasStandard").objects.all()
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _r: can_manage_policies(u)
    )


def get_advocacy_action_for_user(user, public_id, *, write=False):
    """An advocacy entry is changed by managers or by the organisation that logged it."""

    def can_write(u, action):
        person = person_of(u)
        own = person is not None and action.organisation_id == person.organisation_id
        return can_manage_policies(u) or (speaks_for_organisation(u) and own)

    queryset = _model("policies.AdvocacyAction").objects.select_related("instrument")
    return _gate(user, queryset, public_id, write=write, can_write=can_write)


# Partnerships and the action plans ----------------------------------------------------------------

PARTNERSHIP_MANAGERS = {ADMINISTRATOR, Role.LEAD_AUTHORITY, Role.SECRETARIAT}


def can_manage_partnerships(user):
    return bool(roles_of(user) & PARTNERSHIP_MANAGERS)


def require_partnership_manager(user):
    require_reader(user)
    if not can_manage_partnerships(user):
        raise PermissionDenied


def own_organisation_id(user):
    """The organisation the user speaks for, or None."""
    person = person_of(user)
    return person.organisation_id if person is not None and speaks_for_organisation(user) else None


def is_party(user, partnership):
    """The user speaks for the State's party or for one of the partners."""
    organisation_id = own_organisation_id(user)
    if organisation_id is None:
        return False
    return (
        organisation_id == partnership.state_party_id
        or partnership.partners.filter(pk=organisation_id).exists()
    )


def can_write_for_partnership(user, partnership):
    return can_manage_partnerships(user) or (
        partnership is not None and is_party(user, partnership)
    )


def get_partnership_for_user(user, public_id, *, write=False):
    queryset = _model("partnerships.Partnership").objects.select_related("state_party")
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _r: can_manage_partnerships(u)
    )


def get_partnership_as_party(user, public_id):
    """A partnership whose reports and indicators the user may write (managers or parties)."""
    queryset = _model("partnerships.Partnership").objects.select_related("state_party")
    return _gate(user, queryset, public_id, write=True, can_write=can_write_for_partnership)


def can_update_commitment(user, commitment):
    """Managers, or whoever speaks for the committing party."""
    organisation_id = own_organisation_id(user)
    return can_manage_partnerships(user) or (
        organisation_id is not None and organisation_id == commitment.party_id
    )


def get_commitment_for_user(user, public_id, *, write=False):
    queryset = _model("partnerships.Commitment").objects.select_related("partnership", "party")
    return _gate(user, queryset, public_id, write=write, can_write=can_update_commitment)


def get_indicator_for_user(user, public_id, *, write=False):
    queryset = _model("partnerships.Indicator").objects.select_related(
        "partnership", "commitment", "plan_action"
    )
    return _gate(
        user,
        queryset,
        public_id,
        write=write,
        can_write=lambda u, indicator: can_write_for_partnership(u, indicator.partnership),
    )


def get_progress_report_for_user(user, public_id, *, write=False):
    queryset = _model("partnerships.ProgressReport").objects.select_related(
        "partnership", "partnership__state_party", "submitted_by"
    )
    return _gate(
        user,
        queryset,
        public_id,
        write=write,
        can_write=lambda u, report: can_write_for_partnership(u, report.partnership),
    )


def get_action_plan_for_user(user, public_id, *, write=False):
    queryset = _model("partnerships.ActionPlan").objects.all()
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _r: can_manage_partnerships(u)
    )


def get_plan_action_for_user(user, public_id, *, write=False):
    queryset = _model("partnerships.PlanAction").objects.select_related("section__action_plan")
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _r: can_manage_partnerships(u)
    )


# Resource mobilisation ----------------------------------------------------------------------------

FUNDING_MANAGERS = {ADMINISTRATOR, Role.LEAD_AUTHORITY, Role.SECRETARIAT}


def can_manage_funding(user):
    return bool(roles_of(user) & FUNDING_MANAGERS)


def require_funding_manager(user):
    require_reader(user)
    if not can_manage_funding(user):
        raise PermissionDenied


def can_record_pledges(user):
    """Managers record any donor's pledges; a donor's people record their own."""
    return can_manage_funding(user) or own_organisation_id(user) is not None


def can_update_donor_record(user, record):
    organisation_id = own_organisation_id(user)
    return can_manage_funding(user) or (
        organisation_id is not None and organisation_id == record.donor_id
    )


def get_pledge_for_user(user, public_id, *, write=False):
    queryset = _model("funding.Pledge").objects.select_related("donor", "recipient", "region")
    return _gate(user, queryset, public_id, write=write, can_write=can_update_donor_record)


def get_disbursement_for_user(user, public_id, *, write=False):
    queryset = _model("funding.Disbursement").objects.select_related("donor", "pledge")
    return _gate(user, queryset, public_id, write=write, can_write=can_update_donor_record)


def get_funding_requirement_for_user(user, public_id, *, write=False):
    queryset = _model("funding.FundingRequirement").objects.select_related("region")
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _r: can_manage_funding(u)
    )


def get_exchange_rate_for_user(user, public_id, *, write=False):
    queryset = _model("funding.ExchangeRate").objects.all()
    return _gate(
        user, queryset, public_id, write=write, can_write=lambda u, _r: can_manage_funding(u)
    )


def get_iati_import_for_user(user, public_id):
    """Import reports are the managers' working records."""
    queryset = _model("funding.IatiImport").objects.all()
    return _gate(
        user, queryset, public_id, write=True, can_write=lambda u, _r: can_manage_funding(u)
    )


def get_iati_activity_for_user(user, public_id):
    queryset = _model("funding.IatiActivity").objects.all()
    return _gate(user, queryset, public_id, write=False, can_write=lambda u, _r: False)
