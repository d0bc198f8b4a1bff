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
