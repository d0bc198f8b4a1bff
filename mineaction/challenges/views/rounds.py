"""Prioritisation round pages: the rounds, preparing a round (the secretariat), opening and
closing it, the ballot of an organisation, and the round's turnout and results with their
export. Every view: check access, act through `services.rounds`, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.challenges.forms_rounds import BallotForm, ConfirmForm, RoundForm
from mineaction.challenges.models import RoundStatus
from mineaction.challenges.services import round_results as results
from mineaction.challenges.services import rounds as services
from mineaction.core import access
from mineaction.core.pages import form_data, render_form, results_template
from mineaction.core.tables import CONTENT_TYPES, table_response

PAGE_SIZE = 25


def _detail_url(prioritisation_round):
    return reverse("challenges:round_detail", args=[prioritisation_round.public_id])


@require_GET
@login_required
def round_list(request):
    access.require_reader(request.user)
    rounds = services.rounds_for_list(request.user)
    page = Paginator(rounds, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        results_template(request, "challenges/rounds_list.html"),
        {
            "page": page,
            "now": timezone.now(),
            "can_run_meetings": access.can_run_meetings(request.user),
            "can_vote": access.can_vote(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def round_create(request):
    access.require_meeting_runner(request.user)
    form = RoundForm(form_data(request))
    if form.is_valid():
        prioritisation_round = services.round_save(form=form)
        messages.success(
            request, _("The round has been prepared. Open it when the members may vote.")
        )
        return redirect(_detail_url(prioritisation_round))
    return render_form(
        request,
        form,
        title=_("New prioritisation round"),
        cancel_url=reverse("challenges:round_list"),
    )


@require_http_methods(["GET", "POST"])
@login_required
def round_edit(request, public_id):
    prioritisation_round = access.get_round_for_user(request.user, public_id, write=True)
    if prioritisation_round.status != RoundStatus.DRAFT:
        messages.error(request, _("Only a draft round can be changed."))
        return redirect(_detail_url(prioritisation_round))
    form = RoundForm(form_data(request), instance=prioritisation_round)
    if form.is_valid():
        try:
            services.round_save(form=form)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The round has been saved."))
            return redirect(_detail_url(prioritisation_round))
    return render_form(
        request,
        form,
        title=_("Edit prioritisation round"),
        subject=prioritisation_round.title,
        cancel_url=_detail_url(prioritisation_round),
    )


def _confirmed_change(request, public_id, *, change, template, success):
    """Opening and closing: a page saying what will happen, and its button (`confirm`)."""
    prioritisation_round = access.get_round_for_user(request.user, public_id, write=True)
    form = ConfirmForm(form_data(request))
    if form.is_valid():
        try:
            change(prioritisation_round=prioritisation_round)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, success)
            return redirect(_detail_url(prioritisation_round))
    return render(
        request,
        template,
        {
            "round": prioritisation_round,
            "form": form,
            "challenges": services.round_challenges(prioritisation_round),
            "turnout": results.round_turnout(prioritisation_round, request.user),
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def round_open(request, public_id):
    return _confirmed_change(
        request,
        public_id,
        change=services.round_open,
        template="challenges/rounds_open.html",
        success=_("The round is open: member organisations may vote until it closes."),
    )


@require_http_methods(["GET", "POST"])
@login_required
def round_close(request, public_id):
    return _confirmed_change(
        request,
        public_id,
        change=services.round_close,
        template="challenges/rounds_close.html",
        success=_("The round is closed and its results are published."),
    )


def _spread_tables(rows):
    """Per challenge: its constituencies' count, mean, lowest and highest score."""
    return [
        {
            "row": row,
            "constituencies": [
                {"label": results.constituency_label(key), **figures}
                for key, figures in sorted(row.result.spread.items())
            ],
        }
        for row in rows
        if row.result.spread
    ]


@require_GET
@login_required
def round_detail(request, public_id):
    prioritisation_round = access.get_round_for_user(request.user, public_id)
    now = timezone.now()
    if request.GET.get("format") == "json":
        return JsonResponse(
            results.round_data(prioritisation_round, request.user, now=now),
            encoder=DjangoJSONEncoder,
            json_dumps_params={"indent": None},
        )
    rows = []
    if prioritisation_round.status == RoundStatus.CLOSED:
        rows = results.round_results(prioritisation_round)
    can_vote = access.can_vote(request.user)
    return render(
        request,
        "challenges/rounds_detail.html",
        {
            "round": prioritisation_round,
            "now": now,
            "challenges": services.round_challenges(prioritisation_round),
            "visible_ids": results.visible_challenge_ids(prioritisation_round, request.user),
            "turnout": results.round_turnout(prioritisation_round, request.user),
            "own_ballot": services.own_ballot(prioritisation_round, request.user),
            "can_vote": can_vote
            and not services.voting_problem(prioritisation_round, request.user, now),
            "can_run_meetings": access.can_run_meetings(request.user),
            "rows": rows,
            "spread_tables": _spread_tables(rows),
            "movement_labels": results.MOVEMENT_LABELS,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def round_vote(request, public_id):
    """The ballot of the voter's organisation (anyone who speaks for it, once)."""
    prioritisation_round = access.get_round_for_user(request.user, public_id)
    if not access.can_vote(request.user):
        raise PermissionDenied
    problem = services.voting_problem(prioritisation_round, request.user)
    if problem and request.method == "GET":
        messages.info(request, problem)
        return redirect(_detail_url(prioritisation_round))
    challenges = services.round_challenges(prioritisation_round)
    form = BallotForm(
        form_data(request), prioritisation_round=prioritisation_round, challenges=challenges
    )
    if form.is_valid():
        try:
            services.ballot_cast(
                prioritisation_round=prioritisation_round,
                person=access.person_of(request.user),
                entries=form.entries(),
                abstained=form.cleaned_data["abstained"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Your organisation's ballot has been cast."))
            return redirect(_detail_url(prioritisation_round))
    return render(
        request,
        "challenges/rounds_vote.html",
        {
            "round": prioritisation_round,
            "form": form,
            "organisation": access.person_of(request.user).organisation,
            "visible_ids": results.visible_challenge_ids(prioritisation_round, request.user),
        },
    )


@require_GET
@login_required
def round_export(request, public_id):
    """The results of a closed round as CSV (default) or XLSX."""
    prioritisation_round = access.get_round_for_user(request.user, public_id)
    fmt = request.GET.get("format", "csv")
    if fmt not in CONTENT_TYPES:
        raise Http404
    if prioritisation_round.status != RoundStatus.CLOSED:
        messages.error(request, _("The results are published when the round closes."))
        return redirect(_detail_url(prioritisation_round))
    rows = results.round_results(prioritisation_round)
    return table_response(
        results.results_columns(rows),
        rows,
        fmt=fmt,
        filename=f"prioritisation-round-{prioritisation_round.public_id}",
        title=_("Results"),
    )


urlpatterns = [
    path("rounds/", round_list, name="round_list"),
    path("rounds/new/", round_create, name="round_create"),
    path("rounds/<uuid:public_id>/", round_detail, name="round_detail"),
    path("rounds/<uuid:public_id>/edit/", round_edit, name="round_edit"),
    path("rounds/<uuid:public_id>/open/", round_open, name="round_open"),
    path("rounds/<uuid:public_id>/close/", round_close, name="round_close"),
    path("rounds/<uuid:public_id>/vote/", round_vote, name="round_vote"),
    path("rounds/<uuid:public_id>/export/", round_export, name="round_export"),
]
