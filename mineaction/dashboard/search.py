"""Search across challenges, action points, work-plan activities, policy instruments and the
minutes (their discussion and decisions), only among what the viewer may see.

Matching is `core.search`: every term must occur in a record's folded `search_text`, so it works
the same on SQLite and PostgreSQL and in every UI language. Within each kind, records whose
title or reference holds more of the terms come first, then the newest. The snippet shown is cut
around the first match in the record's own text, every match marked with <mark>, everything else
escaped.

The page and the API (`dashboard.api`) call the same functions here.
"""

import functools
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from mineaction.challenges.models import Challenge
from mineaction.core import access
from mineaction.core.pages import results_template
from mineaction.core.search import fold, matching, query_terms
from mineaction.meetings.models import ActionPoint, Decision, MinutesEntry
from mineaction.meetings.services.action_points import visible_action_points
from mineaction.policies.models import Instrument
from mineaction.workplans.models import Activity

MAX_QUERY_LENGTH = 200
GROUP_LIMIT = 5  # results per kind when every kind is shown
PAGE_SIZE = 20  # results per page of one kind
SNIPPET_LENGTH = 240  # characters of a record's text shown around the first match
SNIPPET_BEFORE = 60  # of which before the match
WORD_REACH = 20  # how far a cut may move to fall between words


# What can be found ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """One kind of record the search covers."""

    key: str
    label: Any  # lazily translated, plural
    model: type[Model]
    visible: Any  # visible(user) -> the records of this kind the user may see
    newest: str  # the field that orders equally ranked records, newest first
    describe: Any  # describe(record) -> the result's title, text, address and details
    related: tuple[str, ...] = ()
    # The fields of the record's title and reference, and how they read together: a term found
    # there ranks the record before those that hold it only in their text.
    heading_fields: tuple[str, ...] = ()
    heading: Any = None


def _meeting_day(meeting):
    return date_format(meeting.starts_at.date(), "DATE_FORMAT")


def _challenge(challenge):
    return {
        "title": str(challenge),
        "text": "\n".join(
            part
            for part in (challenge.description, challenge.evidence, challenge.resolution)
            if part
        ),
        "url": reverse("challenges:challenge_detail", args=[challenge.public_id]),
        "details": [
            challenge.get_component_display(),
            challenge.get_status_display(),
            str(challenge.raised_by_organisation),
        ],
    }


def _action_point(action_point):
    return {
        "title": gettext("Action point agreed at %(meeting)s") % {"meeting": action_point.meeting},
        "text": action_point.text,
        "url": reverse("meetings:action_points_detail", args=[action_point.public_id]),
        "details": [
            str(action_point.owner_organisation),
            gettext("Due %(date)s") % {"date": date_format(action_point.due_on, "DATE_FORMAT")},
            action_point.get_status_display(),
        ],
    }


def _activity(activity):
    return {
        "title": str(activity),
        "text": activity.description,
        "url": reverse("workplans:activity_detail", args=[activity.public_id]),
        "details": [
            str(activity.work_plan),
            activity.get_component_display(),
            activity.get_status_display(),
        ],
    }


def _instrument(instrument):
    return {
        "title": str(instrument),
        "text": instrument.description,
        "url": reverse("policies:instrument_detail", args=[instrument.public_id]),
        "details": [
            instrument.get_kind_display(),
            instrument.get_stage_display(),
            instrument.get_component_display(),
        ],
    }


def _minutes_entry(entry):
    minutes = entry.minutes
    return {
        "title": gettext("Minutes of %(meeting)s: %(item)s")
        % {"meeting": minutes.meeting, "item": entry.agenda_item.title},
        "text": entry.discussion,
        "url": reverse("meetings:minutes_detail", args=[minutes.public_id]),
        "details": [
            _meeting_day(minutes.meeting),
            get_language_info(minutes.language)["name_translated"],
            minutes.get_status_display(),
        ],
        "language": minutes.language,
    }


def _decision(decision):
    details = [_meeting_day(decision.meeting)]
    if decision.agenda_item is not None:
        details.append(decision.agenda_item.title)
    return {
        "title": gettext("Decision %(number)s of %(meeting)s")
        % {"number": decision.number, "meeting": decision.meeting},
        "text": decision.text,
        "url": reverse("meetings:minutes_list", args=[decision.meeting.public_id]),
        "details": details,
    }


def visible_minutes_entries(user):
    """Discussion of the minutes the user may see (a draft only to those who run meetings)."""
    return MinutesEntry.objects.filter(minutes__in=access.visible_minutes(user))


def visible_decisions(user):
    """Decisions belong to a meeting rather than to one language's minutes: they show once
    some minutes of the meeting are past their draft, or to those who run meetings."""
    if access.can_run_meetings(user):
        return Decision.objects.filter(meeting__in=access.visible_meetings(user))
    return Decision.objects.filter(meeting__in=access.visible_minutes(user).values("meeting"))


KINDS = {
    kind.key: kind
    for kind in (
        Kind(
            key="challenges",
            label=_("Challenges"),
            model=Challenge,
            visible=access.visible_challenges,
            newest="raised_on",
            describe=_challenge,
            related=("raised_by_organisation",),
            heading_fields=("number", "title"),
            heading=lambda row: f"{Challenge(number=row['number']).reference} {row['title']}",
        ),
        Kind(
            key="action_points",
            label=_("Action points"),
            model=ActionPoint,
            visible=visible_action_points,
            newest="meeting__starts_at",
            describe=_action_point,
            related=("meeting__series", "owner_organisation"),
        ),
        Kind(
            key="activities",
            label=_("Work-plan activities"),
            model=Activity,
            visible=lambda user: Activity.objects.all(),
            newest="created_at",
            describe=_activity,
            related=("work_plan",),
            heading_fields=("code", "title"),
            heading=lambda row: f"{row['code']} {row['title']}",
        ),
        Kind(
            key="instruments",
            label=_("Policies and standards"),
            model=Instrument,
            visible=lambda user: Instrument.objects.all(),
            newest="created_at",
            describe=_instrument,
            heading_fields=("reference", "title"),
            heading=lambda row: f"{row['reference']} {row['title']}",
        ),
        Kind(
            key="minutes",
            label=_("Minutes"),
            model=MinutesEntry,
            visible=visible_minutes_entries,
            newest="minutes__meeting__starts_at",
            describe=_minutes_entry,
            related=("minutes__meeting__series", "agenda_item"),
        ),
        Kind(
            key="decisions",
            label=_("Decisions"),
            model=Decision,
            visible=visible_decisions,
            newest="meeting__starts_at",
            describe=_decision,
            related=("meeting__series", "agenda_item"),
        ),
    )
}
KIND_CHOICES = [(kind.key, kind.label) for kind in KINDS.values()]


# Finding and ranking ----------------------------------------------------------------------------


def matching_records(kind, user, terms) -> QuerySet:
    """The records of `kind` the user may see that hold every term."""
    return matching(kind.visible(user), terms)


def ranked_ids(kind, user, terms):
    """The primary keys of the matching records, best first: more terms in the title or
    reference, then newest. One query, of the few columns ranking needs."""
    rows = matching_records(kind, user, terms).values("pk", kind.newest, *kind.heading_fields)

    def rank(row):
        heading = fold(kind.heading(row)) if kind.heading else ""
        return (sum(term in heading for term in terms), row[kind.newest], row["pk"])

    return [row["pk"] for row in sorted(rows, key=rank, reverse=True)]


@dataclass(frozen=True)
class Result:
    kind: str
    public_id: Any
    title: str
    title_html: SafeString
    snippet: str
    snippet_html: SafeString
    url: str
    details: list[str]
    language: str = ""


def results(kind, ids, terms):
    """The records with primary keys `ids`, in that order, as results (one query)."""
    if not ids:
        return []
    records = kind.model.objects.all()
    if kind.related:
        records = records.select_related(*kind.related)
    records = records.in_bulk(ids)
    found = []
    for pk in ids:
        record = records.get(pk)
        if record is None:
            continue
        described = kind.describe(record)
        snippet_text, snippet_html = snippet(described["text"], terms)
        found.append(
            Result(
                kind=kind.key,
                public_id=record.public_id,
                title=described["title"],
                title_html=highlight(described["title"], terms),
                snippet=snippet_text,
                snippet_html=snippet_html,
                url=described["url"],
                details=described["details"],
                language=described.get("language", ""),
            )
        )
    return found


@dataclass
class Group:
    """The results of one kind: how many match, and those shown (a page of them)."""

    kind: Kind
    count: int
    results: list[Result] = field(default_factory=list)
    page: Any = None  # the Paginator page when one kind is shown


def search_kind(kind, user, terms, *, page_number, page_size):
    """One page of the results of `kind`."""
    page = Paginator(ranked_ids(kind, user, terms), page_size).get_page(page_number)
    return Group(kind, page.paginator.count, results(kind, page.object_list, terms), page)


def kind_counts(user, terms, *, except_kind=None):
    """{kind key: number of matching records} for the kind filter (one count query each)."""
    return {
        key: matching_records(kind, user, terms).count()
        for key, kind in KINDS.items()
        if key != except_kind
    }


# Snippets with the matches marked -------------------------------------------------------------


@functools.lru_cache(maxsize=8192)
def _fold_char(char):
    return fold(char)


def _folded(text):
    """`text` folded as `core.search.fold` folds it, with, for each folded character, the index
    in `text` of the character it comes from."""
    folded, origins = [], []
    after_space = True
    for index, char in enumerate(text):
        if char.isspace():
            if not after_space:
                folded.append(" ")
                origins.append(index)
            after_space = True
            continue
        for piece in _fold_char(char):
            folded.append(piece)
            origins.append(index)
            after_space = False
    return "".join(folded), origins


def match_spans(text, terms):
    """Where the terms occur in `text`: sorted, merged (start, end) indexes into `text`."""
    folded, origins = _folded(text)
    spans = []
    for term in terms:
        start = folded.find(term)
        while start != -1:
            end = origins[start + len(term) - 1] + 1
            # Marks that fold to nothing (accents typed apart, Arabic vowel signs) belong to the
            # letter they follow.
            while end < len(text) and not text[end].isspace() and not _fold_char(text[end]):
                end += 1
            spans.append((origins[start], end))
            start = folded.find(term, start + len(term))
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _marked(text, spans, start, end):
    """text[start:end] as HTML, escaped, with the spans in <mark>, and its plain form."""
    html, position = [], start
    for span_start, span_end in spans:
        span_start, span_end = max(span_start, start), min(span_end, end)
        if span_start >= span_end:
            continue
        html.append(escape(text[position:span_start]))
        html.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        position = span_end
    html.append(escape(text[position:end]))
    before, after = ("…" if start > 0 else ""), ("…" if end < len(text) else "")
    plain = f"{before}{text[start:end]}{after}"
    # Every piece of the record's text was escaped above; only the marks are markup.
    return plain, mark_safe(f"{before}{''.join(html)}{after}")


def _word_start(text, index):
    """A cut at `index` moved forward to the next word's start, when one is near."""
    space = text.find(" ", index, index + WORD_REACH)
    return space + 1 if space != -1 else index


def _word_end(text, index):
    """A cut at `index` moved back to the end of the previous word, when one is near."""
    space = text.rfind(" ", max(0, index - WORD_REACH), index)
    return space if space > 0 else index


def snippet(text, terms, *, length=SNIPPET_LENGTH):
    """(plain, HTML) of the part of `text` around its first match (or its beginning)."""
    text = " ".join((text or "").split())
    spans = match_spans(text, terms)
    start = 0
    if spans and spans[0][0] > SNIPPET_BEFORE:
        start = _word_start(text, spans[0][0] - SNIPPET_BEFORE)
    end = len(text)
    if end - start > length:
        end = _word_end(text, start + length)
    return _marked(text, spans, start, end)


def highlight(text, terms):
    """The whole of `text` as escaped HTML with every match in <mark>."""
    return _marked(text, match_spans(text, terms), 0, len(text))[1]


# The page ---------------------------------------------------------------------------------------


class SearchForm(forms.Form):
    """What the search page and the API accept; the same messages for both."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
        error_messages={
            "max_length": _(
                "A search can be at most %(limit_value)s characters long; this one has "
                "%(show_value)s. Use fewer or shorter words."
            )
        },
        help_text=_(
            'Every word must match. Put a phrase in quotes: "mine risk education". Accents and '
            "capitals do not matter."
        ),
    )
    kind = forms.ChoiceField(
        label=_("Look in"), required=False, choices=[("", _("Everything")), *KIND_CHOICES]
    )

    def terms(self):
        return query_terms(self.cleaned_data["q"]) if self.is_valid() else []


def search_context(user, form, page_number):
    """The groups of results the page shows, and the counts of its kind filter."""
    terms = form.terms()
    context = {"terms": terms, "groups": [], "counts": {}, "total": 0}
    if not terms:
        return context
    kind_key = form.cleaned_data["kind"]
    if kind_key:
        group = search_kind(
            KINDS[kind_key], user, terms, page_number=page_number, page_size=PAGE_SIZE
        )
        counts = {**kind_counts(user, terms, except_kind=kind_key), kind_key: group.count}
        context["groups"] = [group]
    else:
        groups = [
            search_kind(kind, user, terms, page_number=1, page_size=GROUP_LIMIT)
            for kind in KINDS.values()
        ]
        counts = {group.kind.key: group.count for group in groups}
        context["groups"] = [group for group in groups if group.count]
    context["counts"] = [(kind, counts[key]) for key, kind in KINDS.items()]
    context["total"] = sum(counts.values())
    return context


@require_GET
@login_required
def search(request):
    access.require_reader(request.user)
    form = SearchForm(request.GET)
    context = search_context(request.user, form, request.GET.get("page"))
    context.update(
        form=form,
        kind=form.cleaned_data.get("kind", "") if form.is_valid() else "",
        search_query=request.GET.get("q", ""),
    )
    return render(request, results_template(request, "dashboard/search_page.html"), context)


urlpatterns = [path("search/", search, name="search")]
