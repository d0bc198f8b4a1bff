"""Walk every URL pattern of the platform as every persona and check the outcome.

A new URL pattern without a row in EXPECTED fails `test_every_url_pattern_has_an_expectation`,
so nothing can be added without saying who may reach it. Write requests carry an empty body:
a persona that passes the access gate gets the validation error (page re-rendered with 200, API
422) and nothing changes.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from mineaction.conftest import PERSONAS, client_for
from mineaction.core.choices import Component, Role
from mineaction.core.models import ApiToken, AuditEntry, OutboundEmail
from mineaction.dashboard.tests import walks
from mineaction.dashboard.tests.outcomes import (
    API_CREATE,
    API_LIST,
    API_RECORD,
    API_RECORD_PATCH,
    API_RECORD_WRITE,
    AUTHORITY,
    LOGIN,
    MANAGER_FORM,
    MANAGER_RECORD_FORM,
    MANAGERS,
    MEMBER_PAGE,
    MEMBER_RECORD,
    everyone,
    logged_in,
    outcome,
)
from mineaction.stakeholders.models import Membership, WorkingGroup

# (url name, method) -> expected status per persona.
EXPECTED = {
    ("dashboard:home", "GET"): everyone(200),
    ("core:healthz", "GET"): everyone(200),
    ("core:country_profile", "GET"): MEMBER_PAGE,
    ("core:country_profile_edit", "GET"): outcome(LOGIN, 403, 200, for_roles=AUTHORITY),
    ("core:deadline_extension_add", "POST"): outcome(LOGIN, 403, 200, for_roles=AUTHORITY),
    ("core:audit_trail", "GET"): outcome(LOGIN, 403, 200, for_roles=AUTHORITY),
    ("core:patterns", "GET"): MEMBER_PAGE,
    ("core:token_list", "GET"): MEMBER_PAGE,
    # The token walked belongs to the member persona: anyone else's revoke finds nothing.
    ("core:token_revoke", "POST"): outcome(LOGIN, 403, 302, for_roles=["member"], refused=404),
    ("stakeholders:organisation_list", "GET"): MEMBER_PAGE,
    ("stakeholders:organisation_create", "GET"): MANAGER_FORM,
    ("stakeholders:organisation_create", "POST"): MANAGER_FORM,
    ("stakeholders:organisation_detail", "GET"): MEMBER_RECORD,
    ("stakeholders:organisation_edit", "GET"): MANAGER_RECORD_FORM,
    ("stakeholders:organisation_edit", "POST"): MANAGER_RECORD_FORM,
    ("stakeholders:person_list", "GET"): MEMBER_PAGE,
    ("stakeholders:person_create", "GET"): MANAGER_FORM,
    ("stakeholders:person_create", "POST"): MANAGER_FORM,
    ("stakeholders:person_detail", "GET"): MEMBER_RECORD,
    # The person walked is the member persona, who may edit their own record.
    ("stakeholders:person_edit", "GET"): MANAGER_RECORD_FORM | {"member": 200},
    ("stakeholders:person_edit", "POST"): MANAGER_RECORD_FORM | {"member": 200},
    ("stakeholders:person_invite", "GET"): MANAGER_RECORD_FORM,
    ("stakeholders:membership_create", "GET"): MANAGER_FORM,
    ("stakeholders:membership_create", "POST"): MANAGER_FORM,
    ("stakeholders:membership_edit", "GET"): MANAGER_RECORD_FORM,
    ("stakeholders:membership_edit", "POST"): MANAGER_RECORD_FORM,
    ("stakeholders:lead_donor_rotation", "GET"): MEMBER_PAGE,
    ("stakeholders:lead_donor_term_create", "GET"): MANAGER_FORM,
    ("stakeholders:lead_donor_term_create", "POST"): MANAGER_FORM,
    ("stakeholders:lead_donor_term_edit", "GET"): MANAGER_RECORD_FORM,
    ("stakeholders:lead_donor_term_edit", "POST"): MANAGER_RECORD_FORM,
    ("stakeholders:working_group_list", "GET"): MEMBER_PAGE,
    ("stakeholders:working_group_create", "GET"): MANAGER_FORM,
    ("stakeholders:working_group_create", "POST"): MANAGER_FORM,
    ("stakeholders:working_group_detail", "GET"): MEMBER_RECORD,
    ("stakeholders:working_group_edit", "GET"): MANAGER_RECORD_FORM,
    ("stakeholders:working_group_edit", "POST"): MANAGER_RECORD_FORM,
    ("stakeholders:participation", "GET"): MEMBER_PAGE,
    ("meetings:action_points_list", "GET"): MEMBER_PAGE,
    ("meetings:action_points_mine", "GET"): MEMBER_PAGE,
    ("meetings:action_points_overdue", "GET"): MANAGER_FORM,
    ("meetings:action_points_detail", "GET"): MEMBER_RECORD,
    ("meetings:action_points_edit", "GET"): MANAGER_RECORD_FORM,
    ("meetings:action_points_edit", "POST"): MANAGER_RECORD_FORM,
    # The action point walked belongs to the member persona's organisation.
    ("meetings:action_points_progress", "GET"): MANAGER_RECORD_FORM | {"member": 200},
    ("meetings:action_points_progress", "POST"): MANAGER_RECORD_FORM | {"member": 200},
    ("api:action_point_list", "GET"): API_LIST,
    ("api:action_point_detail", "GET"): API_RECORD,
    ("api:action_point_patch", "PATCH"): API_RECORD_PATCH,
    ("api:action_point_progress", "POST"): API_RECORD_WRITE | {"member": 422},
    # Attendance: the walked meeting is the held meeting of the minutes walk.
    ("meetings:attendance_detail", "GET"): MEMBER_RECORD,
    ("meetings:attendance_register", "GET"): MANAGER_RECORD_FORM,
    ("meetings:attendance_register", "POST"): MANAGER_RECORD_FORM,
    ("meetings:attendance_inclusion", "GET"): MEMBER_PAGE,
    ("api:attendance_detail", "GET"): API_RECORD,
    ("api:attendance_put", "PUT"): API_RECORD_WRITE,
    ("api:attendance_inclusion", "GET"): API_LIST,
    # Meetings and agenda: the walked meeting is planned for 2030 (so it cannot be marked as
    # held yet); deleting is walked on a cancelled meeting, whose agenda is final.
    ("meetings:meetings_list", "GET"): MEMBER_PAGE,
    ("meetings:meetings_create", "GET"): MANAGER_FORM,
    ("meetings:meetings_create", "POST"): MANAGER_FORM,
    ("meetings:meetings_series_list", "GET"): MEMBER_PAGE,
    ("meetings:meetings_series_create", "GET"): MANAGER_FORM,
    ("meetings:meetings_series_create", "POST"): MANAGER_FORM,
    ("meetings:meetings_series_edit", "GET"): MANAGER_FORM,
    ("meetings:meetings_series_edit", "POST"): MANAGER_FORM,
    ("meetings:meetings_detail", "GET"): MEMBER_RECORD,
    ("meetings:meetings_edit", "GET"): MANAGER_RECORD_FORM,
    ("meetings:meetings_edit", "POST"): MANAGER_RECORD_FORM,
    ("meetings:meetings_postpone", "GET"): MANAGER_RECORD_FORM,
    ("meetings:meetings_postpone", "POST"): MANAGER_RECORD_FORM,
    ("meetings:meetings_cancel", "GET"): MANAGER_RECORD_FORM,
    ("meetings:meetings_cancel", "POST"): MANAGER_RECORD_FORM,
    ("meetings:meetings_held", "POST"): outcome(LOGIN, 404, 302, for_roles=MANAGERS),
    ("meetings:agenda_create", "GET"): MANAGER_RECORD_FORM,
    ("meetings:agenda_create", "POST"): MANAGER_RECORD_FORM,
    ("meetings:agenda_edit", "GET"): MANAGER_RECORD_FORM,
    ("meetings:agenda_edit", "POST"): MANAGER_RECORD_FORM,
    ("meetings:agenda_delete", "GET"): MANAGER_RECORD_FORM,
    ("meetings:agenda_move", "POST"): outcome(LOGIN, 404, 302, for_roles=MANAGERS),
    ("meetings:agenda_document_add", "GET"): MANAGER_RECORD_FORM,
    ("meetings:agenda_document_add", "POST"): MANAGER_RECORD_FORM,
    ("meetings:agenda_document_download", "GET"): MEMBER_RECORD,
    ("meetings:agenda_document_delete", "POST"): outcome(LOGIN, 404, 403),
    ("api:meetings_series_list", "GET"): API_LIST,
    ("api:meetings_series_create", "POST"): API_CREATE,
    ("api:meetings_list", "GET"): API_LIST,
    ("api:meetings_create", "POST"): API_CREATE,
    ("api:meetings_detail", "GET"): API_RECORD,
    ("api:meetings_patch", "PATCH"): API_RECORD_PATCH,
    ("api:meetings_postpone", "POST"): API_RECORD_WRITE,
    ("api:meetings_cancel", "POST"): API_RECORD_WRITE,
    ("api:meetings_held", "POST"): outcome(401, 404, 409, for_roles=MANAGERS),
    ("api:agenda_list", "GET"): API_RECORD,
    ("api:agenda_create", "POST"): API_RECORD_WRITE,
    ("api:agenda_patch", "PATCH"): API_RECORD_PATCH,
    ("api:agenda_delete", "DELETE"): outcome(401, 404, 409, for_roles=MANAGERS),
    ("api:openapi-json", "GET"): everyone(200),
    ("api:openapi-view", "GET"): everyone(200),
    ("api:api-root", "GET"): everyone(404),
    ("api:not-found", "GET"): everyone(404),
    ("api:me", "GET"): outcome(401, 200, 200),
    ("api:country_profile", "GET"): API_LIST,
    ("api:country_profile_update", "PUT"): outcome(401, 403, 422, for_roles=AUTHORITY),
    ("api:organisation_list", "GET"): API_LIST,
    ("api:organisation_create", "POST"): API_CREATE,
    ("api:organisation_detail", "GET"): API_RECORD,
    ("api:organisation_patch", "PATCH"): API_RECORD_PATCH,
    ("api:organisation_put", "PUT"): API_RECORD_WRITE,
    ("api:person_list", "GET"): API_LIST,
    ("api:person_create", "POST"): API_CREATE,
    ("api:person_detail", "GET"): API_RECORD,
    ("api:person_patch", "PATCH"): API_RECORD_PATCH | {"member": 200},
    ("api:person_put", "PUT"): API_RECORD_WRITE | {"member": 422},
    ("api:membership_list", "GET"): API_LIST,
    ("api:membership_create", "POST"): API_CREATE,
    ("api:membership_detail", "GET"): API_RECORD,
    ("api:membership_patch", "PATCH"): API_RECORD_PATCH,
    ("api:membership_put", "PUT"): API_RECORD_WRITE,
    ("api:membership_end", "POST"): API_RECORD_WRITE,
    ("api:lead_donor_term_list", "GET"): API_LIST,
    ("api:working_group_list", "GET"): API_LIST,
    ("api:working_group_detail", "GET"): API_RECORD,
    ("api:participation", "GET"): API_LIST,
    # django-allauth's pages: logged-in people are sent on from the log-in and sign-up pages;
    # two-factor pages depend on whether the persona has an authenticator (MANAGERS do).
    ("account_login", "GET"): logged_in(302, anonymous=200),
    ("account_logout", "GET"): logged_in(200, anonymous=302),
    ("account_inactive", "GET"): everyone(200),
    ("account_signup", "GET"): logged_in(302, anonymous=200),
    ("account_reauthenticate", "GET"): logged_in(200),
    ("account_request_reauthentication_code", "GET"): logged_in(302),
    ("account_confirm_reauthentication_code", "GET"): logged_in(302),
    ("account_email", "GET"): logged_in(200),
    ("account_email_verification_sent", "GET"): everyone(200),
    ("account_change_password", "GET"): logged_in(200),
    ("account_set_password", "GET"): logged_in(302),
    ("account_reset_password", "GET"): everyone(200),
    ("account_confirm_login_code", "GET"): logged_in(302),
    ("account_confirm_email", "GET"): everyone(200),
    ("account_reset_password_from_key_done", "GET"): everyone(200),
    ("account_reset_password_from_key", "GET"): everyone(200),
    ("account_reset_password_done", "GET"): everyone(200),
    ("mfa_index", "GET"): logged_in(200),
    ("mfa_authenticate", "GET"): logged_in(302),
    ("mfa_reauthenticate", "GET"): outcome(LOGIN, 302, 200, for_roles=MANAGERS, refused=302),
    ("mfa_activate_totp", "GET"): logged_in(302),
    ("mfa_deactivate_totp", "GET"): outcome(LOGIN, 404, 302, for_roles=MANAGERS, refused=404),
    ("mfa_view_recovery_codes", "GET"): logged_in(404),
    ("mfa_generate_recovery_codes", "GET"): logged_in(302),
    ("mfa_download_recovery_codes", "GET"): logged_in(404),
    ("set_language", "GET"): everyone(302),
    # Minutes: the walked minutes are circulated and have one open amendment.
    ("meetings:minutes_list", "GET"): MEMBER_RECORD,
    ("meetings:minutes_start", "GET"): MANAGER_RECORD_FORM,
    ("meetings:minutes_start", "POST"): MANAGER_RECORD_FORM,
    ("meetings:minutes_detail", "GET"): MEMBER_RECORD,
    ("meetings:minutes_edit", "GET"): MANAGER_RECORD_FORM,
    ("meetings:minutes_edit", "POST"): MANAGER_RECORD_FORM,
    ("meetings:minutes_decision_add", "POST"): MANAGER_RECORD_FORM,
    ("meetings:minutes_action_point_add", "POST"): MANAGER_RECORD_FORM,
    ("meetings:minutes_decision_edit", "GET"): MANAGER_RECORD_FORM,
    ("meetings:minutes_decision_edit", "POST"): MANAGER_RECORD_FORM,  # empty text: refused
    ("meetings:minutes_decision_delete", "GET"): MANAGER_RECORD_FORM,
    ("meetings:minutes_decision_delete", "POST"): MANAGER_RECORD_FORM,  # no `confirm`: asks
    # Already authoritative: making it so again changes nothing.
    ("meetings:minutes_authoritative", "POST"): outcome(LOGIN, 404, 302, for_roles=MANAGERS),
    ("meetings:minutes_versions", "GET"): MEMBER_RECORD,
    ("meetings:minutes_circulate", "GET"): MANAGER_RECORD_FORM,
    ("meetings:minutes_circulate", "POST"): MANAGER_RECORD_FORM,
    ("meetings:minutes_amendment_add", "GET"): MANAGER_RECORD_FORM,
    ("meetings:minutes_amendment_add", "POST"): MANAGER_RECORD_FORM,
    ("meetings:minutes_amendment_resolve", "GET"): MANAGER_RECORD_FORM,
    ("meetings:minutes_amendment_resolve", "POST"): MANAGER_RECORD_FORM,
    ("meetings:minutes_approve", "GET"): outcome(LOGIN, 404, 200, for_roles=["lead_authority"]),
    ("meetings:minutes_approve", "POST"): outcome(LOGIN, 404, 400, for_roles=["lead_authority"]),
    ("api:minutes_list", "GET"): API_RECORD,
    ("api:minutes_create", "POST"): API_RECORD_WRITE,
    ("api:minutes_detail", "GET"): API_RECORD,
    ("api:minutes_entries_put", "PUT"): API_RECORD_WRITE,
    ("api:minutes_authoritative", "POST"): outcome(401, 404, 200, for_roles=MANAGERS),
    ("api:minutes_decision_create", "POST"): API_RECORD_WRITE,
    ("api:minutes_action_point_create", "POST"): API_RECORD_WRITE,
    ("api:minutes_decision_patch", "PATCH"): API_RECORD_PATCH,
    # Deleting is walked on approved minutes: refused, nothing changes.
    ("api:minutes_decision_delete", "DELETE"): outcome(401, 404, 409, for_roles=MANAGERS),
    ("api:minutes_circulate", "POST"): API_RECORD_WRITE,
    ("api:minutes_approve", "POST"): outcome(401, 404, 409, for_roles=["lead_authority"]),
    ("api:minutes_amendment_list", "GET"): API_RECORD,
    ("api:minutes_amendment_create", "POST"): API_RECORD_WRITE,
    ("api:minutes_amendment_resolve", "POST"): API_RECORD_WRITE,
    ("api:minutes_version_list", "GET"): API_RECORD,
    ("api:minutes_version_detail", "GET"): API_RECORD,
    # Distribution: the walked minutes are circulated, so only those who run meetings may
    # download them, and distributing them is refused (nothing is sent).
    ("meetings:distribution_minutes_pdf", "GET"): outcome(
        LOGIN, 404, 200, for_roles=MANAGERS, refused=404
    ),
    ("meetings:distribution_minutes_docx", "GET"): outcome(
        LOGIN, 404, 200, for_roles=MANAGERS, refused=404
    ),
    ("meetings:distribution_distribute", "GET"): MANAGER_RECORD_FORM,
    ("meetings:distribution_distribute", "POST"): outcome(LOGIN, 404, 400, for_roles=MANAGERS),
    ("api:distribution_minutes_pdf", "GET"): outcome(
        401, 404, 200, for_roles=MANAGERS, refused=404
    ),
    ("api:distribution_minutes_docx", "GET"): outcome(
        401, 404, 200, for_roles=MANAGERS, refused=404
    ),
    ("api:distribution_distribute", "POST"): outcome(401, 404, 409, for_roles=MANAGERS),
    ("core:outbox", "GET"): MANAGER_FORM,
    # The email walked has been sent: a retry changes nothing.
    ("core:outbox_retry", "POST"): outcome(LOGIN, 403, 302, for_roles=MANAGERS),
    ("meetings:invitations_list", "GET"): MEMBER_RECORD,
    ("meetings:invitations_add", "GET"): MANAGER_RECORD_FORM,
    ("meetings:invitations_add", "POST"): MANAGER_RECORD_FORM,
    ("meetings:invitations_send", "GET"): MANAGER_RECORD_FORM,
    ("meetings:invitations_send", "POST"): MANAGER_RECORD_FORM,
    ("meetings:invitations_send_update", "GET"): MANAGER_RECORD_FORM,
    ("meetings:invitations_send_update", "POST"): MANAGER_RECORD_FORM,
    # The invitation walked belongs to the cancelled meeting: its removal is refused.
    ("meetings:invitations_remove", "POST"): outcome(LOGIN, 404, 302, for_roles=MANAGERS),
    ("meetings:invitations_calendar", "GET"): MEMBER_RECORD,
    ("meetings:invitations_rsvp", "GET"): everyone(400),  # a made-up answer link
    ("meetings:invitations_feed_settings", "GET"): MEMBER_PAGE,
    ("meetings:invitations_feed", "GET"): everyone(404),  # a made-up feed secret
    ("api:invitations_list", "GET"): API_RECORD,
    ("api:invitations_create", "POST"): API_RECORD_WRITE,
    ("api:invitations_delete", "DELETE"): outcome(401, 404, 409, for_roles=MANAGERS),
    ("api:invitations_send", "POST"): outcome(401, 404, 409, for_roles=MANAGERS),
    ("api:invitations_send_update", "POST"): outcome(401, 404, 200, for_roles=MANAGERS),
    ("api:invitations_calendar", "GET"): API_RECORD,
    ("api:invitations_rsvp", "POST"): everyone(400),
}
# The URLs of the apps with their own walk: expectations and records are declared next to their
# tests (see walks.py).
EXPECTED.update(walks.expected())
APP_RECORDS = walks.url_records()
APP_ARGUMENTS = walks.url_arguments()

# Patterns that are not views of the platform's own: Django's admin (tested separately by
# Django) and media files served only with DEBUG.
SKIPPED_PREFIXES = ("admin/", "^media/")


def url_patterns(patterns=None, prefix="", namespace=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(part for part in (namespace, pattern.namespace) if part)
            yield from url_patterns(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern) and not route.startswith(SKIPPED_PREFIXES):
            yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), route


def test_every_url_pattern_has_an_expectation():
    walked = {name for name, _method in EXPECTED}
    missing = sorted(name for name, _route in url_patterns() if name not in walked)
    assert missing == []


@pytest.fixture
def records(people, ngo_org, settings, tmp_path):
    member = people["member"]
    working_group = WorkingGroup.objects.create(
        name="Technical working group", component=Component.TECHNICAL
    )
    token, _secret = ApiToken.issue(member.user, "walk")
    from mineaction.stakeholders.models import LeadDonorTerm

    records = {
        "organisation": ngo_org,
        "person": member,
        "membership": Membership.objects.get(person=member, role=Role.MEMBER),
        "lead_donor_term": LeadDonorTerm.objects.get(),
        "working_group": working_group,
        "token": token,
        "action_point": _walk_action_point(ngo_org),
        **_walk_minutes(people),
    }
    records["attendance"] = records["minutes_meeting"]
    settings.MEDIA_ROOT = tmp_path
    records.update(walks.walk_records())
    records.update(_walk_meetings())
    records["invitations_invitation"] = _walk_invitation(records["meetings_closed"], member)
    records["outbox_email"] = OutboundEmail.objects.create(
        to=["walk@example.org"], subject="Walk", body_text="Walk", status=OutboundEmail.Status.SENT
    )
    return records


def _walk_invitation(meeting, person):
    """An invitation already sent, of a cancelled meeting: it can no longer be removed."""
    from mineaction.meetings.models import Invitation

    return Invitation.objects.create(meeting=meeting, person=person, sent_sequence=0)


def _walk_meetings():
    """A planned meeting with its proposed agenda, and a cancelled one with a document."""
    from django.core.files.base import ContentFile

    from mineaction.meetings.models import AgendaDocument, AgendaItem, Meeting, MeetingSeries
    from mineaction.meetings.services.agenda import agenda_propose

    series = MeetingSeries.objects.create(name="Walk meetings series")
    starts_at = datetime.datetime(2030, 1, 31, 9, tzinfo=datetime.UTC)
    hours = datetime.timedelta(hours=3)
    planned = Meeting.objects.create(
        series=series, number=1, starts_at=starts_at, ends_at=starts_at + hours
    )
    agenda_propose(meeting=planned)
    cancelled = Meeting.objects.create(
        series=series,
        number=2,
        starts_at=starts_at,
        ends_at=starts_at + hours,
        status=Meeting.Status.CANCELLED,
    )
    closed_item = AgendaItem.objects.create(meeting=cancelled, title="Walk item")
    document = AgendaDocument(agenda_item=closed_item, title="Walk paper")
    document.file.save("walk.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return {
        "meetings_meeting": planned,
        "meetings_series": series,
        "meetings_agenda_item": planned.agenda_items.first(),
        "meetings_closed": cancelled,
        "meetings_closed_item": closed_item,
        "meetings_document": document,
    }


def _walk_action_point(organisation):
    from mineaction.meetings.models import ActionPoint, Meeting, MeetingSeries

    starts_at = datetime.datetime(2024, 3, 1, 9, tzinfo=datetime.UTC)
    meeting = Meeting.objects.create(
        series=MeetingSeries.objects.create(name="Walk series"),
        number=1,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
    )
    return ActionPoint.objects.create(
        meeting=meeting, text="Walk", owner_organisation=organisation, due_on=starts_at.date()
    )


def _walk_minutes(people):
    """Circulated minutes of a held meeting, with one open amendment."""
    from mineaction.meetings.models import (
        AgendaItem,
        Amendment,
        Decision,
        Meeting,
        MeetingSeries,
        Minutes,
    )
    from mineaction.meetings.services.minutes import minutes_circulate, minutes_start

    starts_at = datetime.datetime(2024, 6, 1, 9, tzinfo=datetime.UTC)
    meeting = Meeting.objects.create(
        series=MeetingSeries.objects.create(name="Walk minutes series"),
        number=1,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        status=Meeting.Status.HELD,
    )
    item = AgendaItem.objects.create(meeting=meeting, title="Walk item")
    minutes = minutes_start(meeting=meeting, language="en", user=None)
    closes_on = datetime.date.today() + datetime.timedelta(days=30)
    minutes_circulate(minutes=minutes, closes_on=closes_on, user=None)
    amendment = Amendment.objects.create(
        minutes=minutes, agenda_item=item, proposed_by=people["member"], comment="Walk"
    )
    decision = Decision.objects.create(meeting=meeting, agenda_item=item, number=1, text="Walk")
    approved_meeting = Meeting.objects.create(
        series=meeting.series,
        number=2,
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=2),
        status=Meeting.Status.MINUTES_APPROVED,
    )
    approved = Minutes.objects.create(
        meeting=approved_meeting,
        language="en",
        is_authoritative=True,
        status=Minutes.Status.APPROVED,
    )
    approved_decision = Decision.objects.create(meeting=approved_meeting, number=1, text="Walk")
    return {
        "minutes_meeting": meeting,
        "minutes_record": minutes,
        "amendment": amendment,
        "minutes_decision": decision,
        "minutes_approved": approved,
        "minutes_approved_decision": approved_decision,
    }


# URL names whose record is not found by their name's prefix: (record, extra URL arguments).
MINUTES_RECORDS = {
    "meetings:minutes_list": "minutes_meeting",
    "meetings:minutes_start": "minutes_meeting",
    "api:minutes_list": "minutes_meeting",
    "api:minutes_create": "minutes_meeting",
    "meetings:minutes_amendment_resolve": "amendment",
    "api:minutes_amendment_resolve": "amendment",
    "api:minutes_decision_delete": "minutes_approved",
}

# Minutes URL names about one decision: the record of their `decision_id`.
MINUTES_DECISIONS = {
    "meetings:minutes_decision_edit": "minutes_decision",
    "meetings:minutes_decision_delete": "minutes_decision",
    "api:minutes_decision_patch": "minutes_decision",
    "api:minutes_decision_delete": "minutes_approved_decision",
}


# Meetings and agenda URL names: (record, record of `item_id` or None).
MEETINGS_RECORDS = {
    "meetings:meetings_series_edit": ("meetings_series", None),
    "meetings:meetings_detail": ("meetings_meeting", None),
    "meetings:meetings_edit": ("meetings_meeting", None),
    "meetings:meetings_postpone": ("meetings_meeting", None),
    "meetings:meetings_cancel": ("meetings_meeting", None),
    "meetings:meetings_held": ("meetings_meeting", None),
    "meetings:agenda_create": ("meetings_meeting", None),
    "meetings:agenda_edit": ("meetings_agenda_item", None),
    "meetings:agenda_delete": ("meetings_agenda_item", None),
    "meetings:agenda_move": ("meetings_agenda_item", None),
    "meetings:agenda_document_add": ("meetings_agenda_item", None),
    "meetings:agenda_document_download": ("meetings_document", None),
    "meetings:agenda_document_delete": ("meetings_document", None),
    "api:meetings_detail": ("meetings_meeting", None),
    "api:meetings_patch": ("meetings_meeting", None),
    "api:meetings_postpone": ("meetings_meeting", None),
    "api:meetings_cancel": ("meetings_meeting", None),
    "api:meetings_held": ("meetings_meeting", None),
    "api:agenda_list": ("meetings_meeting", None),
    "api:agenda_create": ("meetings_meeting", None),
    "api:agenda_patch": ("meetings_meeting", "meetings_agenda_item"),
    "api:agenda_delete": ("meetings_closed", "meetings_closed_item"),
    "core:outbox_retry": ("outbox_email", None),
    "meetings:invitations_list": ("meetings_meeting", None),
    "meetings:invitations_add": ("meetings_meeting", None),
    "meetings:invitations_send": ("meetings_meeting", None),
    "meetings:invitations_send_update": ("meetings_meeting", None),
    "meetings:invitations_remove": ("invitations_invitation", None),
    "meetings:invitations_calendar": ("meetings_meeting", None),
    "api:invitations_list": ("meetings_meeting", None),
    "api:invitations_create": ("meetings_meeting", None),
    "api:invitations_delete": ("invitations_invitation", None),
    "api:invitations_send": ("meetings_meeting", None),
    "api:invitations_send_update": ("meetings_meeting", None),
    "api:invitations_calendar": ("meetings_meeting", None),
    "meetings:distribution_minutes_pdf": ("minutes_record", None),
    "meetings:distribution_minutes_docx": ("minutes_record", None),
    "meetings:distribution_distribute": ("minutes_record", None),
    "api:distribution_minutes_pdf": ("minutes_meeting", None),
    "api:distribution_minutes_docx": ("minutes_meeting", None),
    "api:distribution_distribute": ("minutes_record", None),
}


# URL names with a secret token instead of a record: a made-up token.
TOKEN_URLS = {
    "meetings:invitations_rsvp": "not-a-token",
    "meetings:invitations_feed": "cal_not-a-secret",
    "api:invitations_rsvp": "not-a-token",
}


def url_for(name, records):
    if name in APP_RECORDS:
        app, record = APP_RECORDS[name]
        kwargs = dict(APP_ARGUMENTS.get(name, {}))
        if record is not None:
            kwargs["public_id"] = records[f"{app}_{record}"].public_id
        return reverse(name, kwargs=kwargs or None)
    if name in TOKEN_URLS:
        return reverse(name, kwargs={"token": TOKEN_URLS[name]})
    if name in MEETINGS_RECORDS:
        record, item = MEETINGS_RECORDS[name]
        kwargs = {"public_id": records[record].public_id}
        if item:
            kwargs["item_id"] = records[item].public_id
        return reverse(name, kwargs=kwargs)
    if name.split(":")[-1].startswith("minutes_"):
        record = records[MINUTES_RECORDS.get(name, "minutes_record")]
        extra = {"revision": 1} if name == "api:minutes_version_detail" else {}
        if name in MINUTES_DECISIONS:
            extra = {"decision_id": records[MINUTES_DECISIONS[name]].public_id}
        return reverse(name, kwargs={"public_id": record.public_id, **extra})
    if name == "account_confirm_email":
        return reverse(name, kwargs={"key": "not-a-key"})
    if name == "account_reset_password_from_key":
        return reverse(name, kwargs={"uidb36": "zz", "key": "not-a-key"})
    if name == "api:not-found":
        return "/api/v1/no-such-endpoint"
    if name.endswith(":attendance_inclusion"):  # "attendance" holds "end": no record here
        return reverse(name)
    record_kind = name.split(":")[-1].rsplit("_", 1)[0]
    for kind, record in records.items():
        if record_kind.startswith(kind) and any(
            suffix in name
            for suffix in ("detail", "edit", "invite", "revoke", "patch", "put", "end", "progress")
        ):
            return reverse(name, kwargs={"public_id": record.public_id})
    return reverse(name)


# Writes whose empty body is valid get a bad one instead, so the walk never changes data.
BAD_BODIES = {("api:membership_end", "POST"): {"ends_on": "not-a-date"}}


def request(client, name, method, url):
    body = BAD_BODIES.get((name, method), {})
    if url.startswith("/api/"):
        return getattr(client, method.lower())(url, data=body, content_type="application/json")
    return getattr(client, method.lower())(url, data=body)


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_url_gives_each_persona_the_expected_outcome(people, records, persona, settings):
    settings.ACCOUNT_RATE_LIMITS = False
    client = client_for(people, persona)
    audit_entries = AuditEntry.objects.count()
    outcomes = {}
    for (name, method), expected in EXPECTED.items():
        response = request(client, name, method, url_for(name, records))
        status = response.status_code
        if status == 302 and "/accounts/login/" in response.get("Location", ""):
            status = LOGIN
        outcomes[(name, method)] = (status, expected[persona])
    wrong = {key: got for key, got in outcomes.items() if got[0] != got[1]}
    assert wrong == {}, "(got, expected) per URL"
    assert AuditEntry.objects.count() == audit_entries, "a walk with empty bodies changed data"
