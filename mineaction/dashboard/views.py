"""The home page: a dashboard built for the roles the viewer holds today.

The dashboard sits on the top floor: it reads from every app and nothing imports it.
"""

from allauth.mfa.models import Authenticator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from mineaction.core import access
from mineaction.core.choices import ADMINISTRATOR, LEAD_DONOR, Role
from mineaction.core.models import AuditEntry, CountryProfile, User
from mineaction.landrelease.charts import format_number
from mineaction.landrelease.models import HazardArea
from mineaction.landrelease.services import progress
from mineaction.meetings.models import Meeting
from mineaction.meetings.services.action_points import own_action_points, visible_action_points
from mineaction.stakeholders.models import LeadDonorTerm, Membership, Person, WorkingGroup

RECENT_CHANGES = 10
UPCOMING_MEETINGS = 5
LIST_LIMIT = 10
OWN_ROLES = {Role.MEMBER, Role.OBSERVER, LEAD_DONOR}


@require_GET
def home(request):
    if not request.user.is_authenticated:
        return render(request, "dashboard/welcome.html")
    roles = access.roles_of(request.user)
    if not access.is_reader(request.user):
        return render(request, "dashboard/no_membership.html")
    context = {"roles": roles, "can_read_audit": access.can_read_audit(request.user)}
    if roles & {Role.LEAD_AUTHORITY, Role.DATA_MANAGER}:
        context["show_article5"] = True
        profile = CountryProfile.load()
        context["article5"] = profile.article5_status() if profile else None
    context["article5_progress"] = article5_progress()
    if roles & {Role.LEAD_AUTHORITY, Role.SECRETARIAT}:
        context["member_counts"] = member_counts()
    if Role.SECRETARIAT in roles:
        context.update(secretariat_panels())
    if roles & OWN_ROLES:
        context.update(own_panels(access.person_of(request.user)))
    context.update(action_point_panels(request.user))
    context["upcoming_meetings"] = upcoming_meetings(request.user)
    if ADMINISTRATOR in roles:
        context.update(administrator_panels())
    return render(request, "dashboard/home.html", context)


def article5_progress():
    """Today's Article 5 headline for every reader: remaining area, deadline and forecast (the
    figures of the Article 5 dashboard); an empty dict before any hazard area is imported."""
    if not HazardArea.objects.exists():
        return {}
    figures = progress.summary()
    days_left = figures["deadline"]["days_left"]
    return {
        "remaining": format_number(figures["remaining_area_m2"]),
        "remaining_m2": figures["remaining_area_m2"],
        "deadline": figures["deadline"],
        "days_overdue": -days_left if days_left is not None and days_left < 0 else None,
        "forecast": figures["forecast"],
    }


def member_counts():
    """People with a current membership, in total and per role, and organisations represented."""
    current = Membership.objects.current()
    per_role = dict(
        current.values_list("role").annotate(people=Count("person", distinct=True)).order_by()
    )
    totals = current.aggregate(
        people=Count("person", distinct=True),
        organisations=Count("person__organisation", distinct=True),
    )
    return {
        "people": totals["people"],
        "organisations": totals["organisations"],
        "per_role": [(role.label, per_role.get(role.value, 0)) for role in Role],
    }


def secretariat_panels():
    without_login = Person.objects.filter(user__isnull=True)
    not_logged_in = Person.objects.filter(user__isnull=False, user__last_login__isnull=True)
    recent = AuditEntry.objects.select_related("actor", "content_type")[:RECENT_CHANGES]
    return {
        "without_login_count": without_login.count(),
        "not_logged_in_count": not_logged_in.count(),
        "not_logged_in": list(
            not_logged_in.select_related("organisation").order_by("family_name")[:LIST_LIMIT]
        ),
        "recent_changes": list(recent),
    }


def own_panels(person):
    if person is None:
        return {}
    memberships = person.memberships.current().order_by("role")
    convened = WorkingGroup.conveners.through.objects.filter(
        workinggroup_id=OuterRef("pk"), person_id=person.pk
    )
    return {
        "person": person,
        "organisation": person.organisation,
        "memberships": list(memberships),
        "working_groups": list(
            WorkingGroup.objects.filter(Q(members=person) | Q(conveners=person))
            .annotate(is_convener=Exists(convened))
            .distinct()
        ),
        "lead_donor_term": LeadDonorTerm.objects.current().first(),
    }


def administrator_panels():
    current_privileged = Membership.objects.current().filter(
        role__in=[Role.LEAD_AUTHORITY, Role.SECRETARIAT], person__user=OuterRef("pk")
    )
    has_totp = Authenticator.objects.filter(user=OuterRef("pk"), type=Authenticator.Type.TOTP)
    without_two_factor = (
        User.objects.filter(is_active=True)
        .filter(Q(is_superuser=True) | Exists(current_privileged))
        .exclude(Exists(has_totp))
        .order_by("email")
    )
    users = User.objects.aggregate(total=Count("pk"), active=Count("pk", filter=Q(is_active=True)))
    return {"user_counts": users, "without_two_factor": list(without_two_factor)}


def action_point_panels(user):
    """The viewer's open action points (theirs or their organisation's), and for those who
    run meetings the number of overdue ones."""
    panels = {"today": timezone.localdate()}
    if access.person_of(user) is not None:
        mine = own_action_points(user).open().select_related("meeting__series", "owner_person")
        panels["my_action_points"] = list(mine.order_by("due_on", "id")[:LIST_LIMIT])
    if access.can_run_meetings(user):
        panels["overdue_action_points"] = visible_action_points(user).overdue().count()
    return panels


def upcoming_meetings(user):
    """The next meetings the viewer may see that have not been cancelled (one query)."""
    meetings = access.visible_meetings(user).filter(ends_at__gte=timezone.now())
    return list(
        meetings.exclude(status=Meeting.Status.CANCELLED)
        .select_related("series")
        .order_by("starts_at", "pk")[:UPCOMING_MEETINGS]
    )
