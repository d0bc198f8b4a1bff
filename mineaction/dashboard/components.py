"""The platform's four components (political, technical, participation, resource
mobilisation): headline counts for each, and one page per component with everything a working
group reviews at its meeting: the group, its open challenges by priority, open action points,
work-plan activities and policy instruments.

Every page has a JSON twin (`?format=json`). The number of queries does not grow with the data:
counts are grouped by component in one query per kind of record, and each section is one query.
"""

from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import BooleanField, Case, Count, F, IntegerField, Prefetch, Q, Value, When
from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from mineaction.core import access
from mineaction.core.api import problem_response
from mineaction.core.choices import Component
from mineaction.meetings.services.action_points import visible_action_points
from mineaction.policies.models import Instrument, InstrumentStage
from mineaction.stakeholders.models import Person, WorkingGroup
from mineaction.workplans.models import Activity, ActivityStatus

# Activities still to be done, and of those the ones started.
FINISHED_ACTIVITIES = (ActivityStatus.COMPLETED, ActivityStatus.CANCELLED)
UNDER_WAY_ACTIVITIES = (ActivityStatus.IN_PROGRESS, ActivityStatus.DELAYED)
# Instruments on their way to being in force. One under revision was in force already.
NOT_YET_IN_FORCE = (
    InstrumentStage.NEED_IDENTIFIED,
    InstrumentStage.DRAFTING,
    InstrumentStage.CONSULTATION,
    InstrumentStage.SUBMITTED,
    InstrumentStage.ADOPTED,
)
# An instrument past its target date is overdue until it is adopted (`Instrument.is_overdue`).
DONE_STAGES = (InstrumentStage.ADOPTED, InstrumentStage.IN_FORCE)
SECTION_LIMIT = 50  # rows per section; the full lists are linked
FORMATS = ("html", "json")

FIGURES = (
    "open_challenges",
    "open_action_points",
    "overdue_action_points",
    "activities",
    "activities_under_way",
    "late_activities",
    "instruments",
    "instruments_not_in_force",
    "overdue_instruments",
)


def component_figures(user, today, component=None):
    """{component: {figure: count}} for every component (or one): one query per kind."""
    figures = {value: dict.fromkeys(FIGURES, 0) for value in Component.values}

    def add(queryset, **counts):
        if component is not None:
            queryset = queryset.filter(component=component)
        rows = queryset.order_by().values("component").annotate(**counts)
        for row in rows:
            if row["component"] in figures:  # action points may have no component
                figures[row["component"]].update((name, row[name]) for name in counts)

    add(access.visible_challenges(user).open(), open_challenges=Count("pk"))
    add(
        visible_action_points(user).open(),
        open_action_points=Count("pk"),
        overdue_action_points=Count("pk", filter=Q(due_on__lt=today)),
    )
    add(
        Activity.objects.exclude(status__in=FINISHED_ACTIVITIES),
        activities=Count("pk"),
        activities_under_way=Count("pk", filter=Q(status__in=UNDER_WAY_ACTIVITIES)),
        late_activities=Count("pk", filter=Q(ends_on__lt=today)),
    )
    add(
        Instrument.objects.all(),
        instruments=Count("pk"),
        instruments_not_in_force=Count("pk", filter=Q(stage__in=NOT_YET_IN_FORCE)),
        overdue_instruments=Count(
            "pk", filter=Q(target_date__lt=today) & ~Q(stage__in=DONE_STAGES)
        ),
    )
    return figures


def _component_or_404(value):
    try:
        return Component(value)
    except ValueError:
        raise Http404 from None


def _wanted_format(request):
    """ "html" or "json", or None when `?format=` names another."""
    wanted = request.GET.get("format", "html")
    return wanted if wanted in FORMATS else None


def _format_problem(request):
    return problem_response(
        400,
        errors={
            "format": [
                _("There is no format %(format)s. Choose one of: %(formats)s.")
                % {"format": request.GET.get("format"), "formats": ", ".join(FORMATS)}
            ]
        },
    )


def _json(body):
    return JsonResponse(body, encoder=DjangoJSONEncoder, json_dumps_params={"indent": None})


def _filtered_list(url_name, component, **filters):
    return f"{reverse(url_name)}?{urlencode({'component': component, **filters})}"


# The list of components -------------------------------------------------------------------------


@require_GET
@login_required
def component_list(request):
    access.require_reader(request.user)
    wanted = _wanted_format(request)
    if wanted is None:
        return _format_problem(request)
    today = timezone.localdate()
    figures = component_figures(request.user, today)
    components = [
        {"component": component, "figures": figures[component.value]} for component in Component
    ]
    if wanted == "json":
        return _json(
            {
                "as_of": today,
                "components": [
                    {
                        "component": row["component"].value,
                        "label": str(row["component"].label),
                        "url": reverse("dashboard:component_detail", args=[row["component"]]),
                        **row["figures"],
                    }
                    for row in components
                ],
            }
        )
    return render(request, "dashboard/components_list.html", {"components": components})


# One component ----------------------------------------------------------------------------------


def working_groups(component):
    people = Person.objects.select_related("organisation")
    return WorkingGroup.objects.filter(component=component).prefetch_related(
        Prefetch("conveners", queryset=people), Prefetch("members", queryset=people)
    )


def open_challenges(user, component):
    """Open challenges the user may see, by the members' priority (unranked last)."""
    return (
        access.visible_challenges(user)
        .open()
        .filter(component=component)
        .select_related("raised_by", "raised_by_organisation")
        .order_by(F("priority_rank").asc(nulls_last=True), "number")
    )


def open_action_points(user, component):
    return (
        visible_action_points(user)
        .open()
        .filter(component=component)
        .select_related("meeting__series", "owner_organisation", "owner_person")
        .order_by("due_on", "id")
    )


def current_activities(component):
    """Activities planned or under way, whichever plan they belong to, soonest ending first."""
    return (
        Activity.objects.filter(component=component)
        .exclude(status__in=FINISHED_ACTIVITIES)
        .select_related("work_plan", "responsible_organisation")
        .order_by("ends_on", "starts_on", "id")
    )


def instruments(component, today):
    """Instruments of the component, those still on their way first, by target date; each
    marked `overdue` as `Instrument.is_overdue` would."""
    in_force_last = Case(
        When(stage__in=NOT_YET_IN_FORCE, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    overdue = Case(
        When(Q(target_date__lt=today) & ~Q(stage__in=DONE_STAGES), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    return (
        Instrument.objects.filter(component=component)
        .select_related("responsible_body")
        .annotate(overdue=overdue)
        .order_by(in_force_last, F("target_date").asc(nulls_last=True), "reference", "title")
    )


@require_GET
@login_required
def component_detail(request, component):
    access.require_reader(request.user)
    component = _component_or_404(component)
    wanted = _wanted_format(request)
    if wanted is None:
        return _format_problem(request)
    today = timezone.localdate()
    user = request.user
    context = {
        "component": component,
        "today": today,
        "figures": component_figures(user, today, component)[component.value],
        "working_groups": list(working_groups(component)),
        "challenges": list(open_challenges(user, component)[:SECTION_LIMIT]),
        "action_points": list(open_action_points(user, component)[:SECTION_LIMIT]),
        "activities": list(current_activities(component)[:SECTION_LIMIT]),
        "instruments": list(instruments(component, today)[:SECTION_LIMIT]),
        "links": {
            "challenges": _filtered_list("challenges:challenge_list", component, state="open"),
            "action_points": _filtered_list("meetings:action_points_list", component),
            "work_plans": reverse("workplans:plan_list"),
            "instruments": _filtered_list("policies:instrument_list", component),
        },
    }
    if wanted == "json":
        return _json(detail_json(context))
    return render(request, "dashboard/components_detail.html", context)


# The JSON twin ----------------------------------------------------------------------------------


def _organisation(organisation):
    if organisation is None:
        return None
    return {"public_id": organisation.public_id, "name": organisation.name}


def _person(person):
    if person is None:
        return None
    return {
        "public_id": person.public_id,
        "name": str(person),
        "organisation": _organisation(person.organisation),
        "url": reverse("stakeholders:person_detail", args=[person.public_id]),
    }


def _challenge(challenge):
    return {
        "public_id": challenge.public_id,
        "reference": challenge.reference,
        "title": challenge.title,
        "status": challenge.status,
        "priority_rank": challenge.priority_rank,
        "raised_by": str(challenge.raised_by) if challenge.raised_by else None,
        "raised_by_organisation": _organisation(challenge.raised_by_organisation),
        "url": reverse("challenges:challenge_detail", args=[challenge.public_id]),
    }


def _action_point(action_point, today):
    return {
        "public_id": action_point.public_id,
        "text": action_point.text,
        "status": action_point.status,
        "due_on": action_point.due_on,
        "overdue": action_point.due_on < today,
        "owner_organisation": _organisation(action_point.owner_organisation),
        "owner_person": str(action_point.owner_person) if action_point.owner_person else None,
        "meeting": {
            "public_id": action_point.meeting.public_id,
            "title": str(action_point.meeting),
        },
        "url": reverse("meetings:action_points_detail", args=[action_point.public_id]),
    }


def _activity(activity, today):
    return {
        "public_id": activity.public_id,
        "code": activity.code,
        "title": activity.title,
        "work_plan": {"public_id": activity.work_plan.public_id, "title": activity.work_plan.title},
        "responsible_organisation": _organisation(activity.responsible_organisation),
        "starts_on": activity.starts_on,
        "ends_on": activity.ends_on,
        "status": activity.status,
        "progress_percent": activity.progress_percent,
        "late": activity.is_late(today),
        "url": reverse("workplans:activity_detail", args=[activity.public_id]),
    }


def _instrument(instrument):
    return {
        "public_id": instrument.public_id,
        "kind": instrument.kind,
        "reference": instrument.reference,
        "title": instrument.title,
        "stage": instrument.stage,
        "target_date": instrument.target_date,
        "overdue": instrument.overdue,
        "responsible_body": _organisation(instrument.responsible_body),
        "url": reverse("policies:instrument_detail", args=[instrument.public_id]),
    }


def detail_json(context):
    today = context["today"]
    figures = context["figures"]
    links = context["links"]
    return {
        "component": context["component"].value,
        "label": str(context["component"].label),
        "as_of": today,
        "figures": figures,
        "working_groups": [
            {
                "public_id": group.public_id,
                "name": group.name,
                "url": reverse("stakeholders:working_group_detail", args=[group.public_id]),
                "conveners": [_person(person) for person in group.conveners.all()],
                "members": [_person(person) for person in group.members.all()],
            }
            for group in context["working_groups"]
        ],
        "challenges": {
            "count": figures["open_challenges"],
            "list_url": links["challenges"],
            "results": [_challenge(challenge) for challenge in context["challenges"]],
        },
        "action_points": {
            "count": figures["open_action_points"],
            "list_url": links["action_points"],
            "results": [_action_point(point, today) for point in context["action_points"]],
        },
        "activities": {
            "count": figures["activities"],
            "list_url": links["work_plans"],
            "results": [_activity(activity, today) for activity in context["activities"]],
        },
        "instruments": {
            "count": figures["instruments"],
            "list_url": links["instruments"],
            "results": [_instrument(instrument) for instrument in context["instruments"]],
        },
    }


urlpatterns = [
    path("components/", component_list, name="component_list"),
    path("components/<str:component>/", component_detail, name="component_detail"),
]
