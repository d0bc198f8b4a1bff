from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mineaction.core import access, mail
from mineaction.core.forms import (
    ApiTokenForm,
    AuditFilterForm,
    CountryProfileForm,
    DeadlineExtensionForm,
    PatternsForm,
    record_type_label,
)
from mineaction.core.models import ApiToken, AuditEntry, CountryProfile, OutboundEmail

AUDIT_PAGE_SIZE = 50
OUTBOX_PAGE_SIZE = 50
NEW_TOKEN_SESSION_KEY = "core_new_api_token"


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def _require_profile_editor(user):
    access.require_reader(user)
    if not access.can_edit_profile(user):
        raise PermissionDenied


def _render_country_profile(request, profile, extension_form=None, status=200):
    can_edit = access.can_edit_profile(request.user)
    if can_edit and profile is not None and extension_form is None:
        extension_form = DeadlineExtensionForm(profile=profile)
    context = {
        "profile": profile,
        "article5": profile.article5_status() if profile else None,
        "can_edit": can_edit,
        "extension_form": extension_form,
    }
    return render(request, "core/country_profile.html", context, status=status)


@require_GET
@login_required
def country_profile(request):
    access.require_reader(request.user)
    return _render_country_profile(request, CountryProfile.load())


@require_http_methods(["GET", "POST"])
@login_required
def country_profile_edit(request):
    _require_profile_editor(request.user)
    profile = CountryProfile.load()
    form = CountryProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("The country profile has been saved."))
        return redirect("core:country_profile")
    return render(request, "core/country_profile_form.html", {"form": form, "profile": profile})


@require_POST
@login_required
def deadline_extension_add(request):
    _require_profile_editor(request.user)
    profile = CountryProfile.load()
    if profile is None:
        raise Http404
    form = DeadlineExtensionForm(request.POST, profile=profile)
    if not form.is_valid():
        return _render_country_profile(request, profile, extension_form=form)
    with transaction.atomic():
        extension = form.save()
    messages.success(
        request,
        _("The Article 5 deadline is now %(date)s.") % {"date": extension.new_deadline.isoformat()},
    )
    return redirect("core:country_profile")


def _changed_fields(entry):
    """(field or None, attname, old, new) for each change worth showing."""
    model = entry.content_type.model_class()
    fields = {f.attname: f for f in model._meta.concrete_fields} if model else {}
    for name, (old, new) in sorted(entry.changes.items()):
        if name == "created_by_id" or (old in (None, "") and new in (None, "")):
            continue
        yield fields.get(name), name, old, new


def _related_records(entries):
    """Records the page's foreign-key changes point at: one query per related model."""
    wanted = defaultdict(set)
    for entry in entries:
        for field, _name, old, new in _changed_fields(entry):
            if field is not None and field.is_relation:
                wanted[field.related_model].update(v for v in (old, new) if v is not None)
    return {model: model._base_manager.in_bulk(ids) for model, ids in wanted.items()}


def _display_value(field, value, related):
    if value in (None, ""):
        return "—"
    if field is None:
        return value
    if field.is_relation:
        record = related.get(field.related_model, {}).get(value)
        return str(record) if record is not None else value
    if field.flatchoices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def _change_rows(entry, related):
    """(field label, old value, new value) for each field the entry changed."""
    return [
        (
            field.verbose_name if field is not None else name,
            _display_value(field, old, related),
            _display_value(field, new, related),
        )
        for field, name, old, new in _changed_fields(entry)
    ]


@require_GET
@login_required
def audit_trail(request):
    access.require_reader(request.user)
    if not access.can_read_audit(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    entries = AuditEntry.objects.select_related("actor", "content_type")
    if form.is_bound and form.is_valid():
        entries = form.filter(entries)
    elif form.is_bound:
        entries = entries.none()
    page = Paginator(entries, AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    related = _related_records(page.object_list)
    for entry in page.object_list:
        entry.change_rows = _change_rows(entry, related)
        entry.record_type = record_type_label(entry.content_type)
    template = "core/audit_trail.html"
    if request.htmx:
        template += "#entries"
    return render(request, template, {"form": form, "page": page})


@require_GET
@login_required
def patterns(request):
    """Every UI component in one place, so that pages stay consistent."""
    access.require_reader(request.user)
    sample_form = PatternsForm({"title": "A title that is far too long", "email": "not-an-email"})
    sample_form.is_valid()
    sample_page = Paginator(range(1, 31), 10).get_page(request.GET.get("page"))
    return render(
        request, "core/patterns.html", {"sample_form": sample_form, "sample_page": sample_page}
    )


def _render_tokens(request, form, status=200):
    tokens = ApiToken.objects.filter(user=request.user)
    context = {
        "form": form,
        "tokens": tokens,
        "now": timezone.now(),
        "new_secret": request.session.pop(NEW_TOKEN_SESSION_KEY, None),
    }
    return render(request, "core/token_list.html", context, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def token_list(request):
    access.require_reader(request.user)
    if request.method == "GET":
        return _render_tokens(request, ApiTokenForm())
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render_tokens(request, form)
    _token, secret = ApiToken.issue(request.user, form.cleaned_data["name"], form.expires_at())
    request.session[NEW_TOKEN_SESSION_KEY] = secret
    messages.success(request, _("Your new token has been created. Copy it now."))
    return redirect("core:token_list")


@require_POST
@login_required
def token_revoke(request, public_id):
    access.require_reader(request.user)
    token = ApiToken.objects.filter(user=request.user, public_id=public_id).first()
    if token is None:
        raise Http404
    if token.revoked_at is None:
        token.revoke()
        messages.success(
            request, _("The token “%(name)s” has been revoked.") % {"name": token.name}
        )
    return redirect("core:token_list")


# Outbox ----------------------------------------------------------------------------------------

OUTBOX_VIEWS = {"waiting": OutboundEmail.Status.QUEUED, "sent": OutboundEmail.Status.SENT}


@require_GET
@login_required
def outbox(request):
    """Mail waiting to be sent (with its attempts and last error) or sent, newest first. Bodies
    are not shown: they may hold personal links (set a password, answer an invitation)."""
    access.require_meeting_runner(request.user)
    shown = request.GET.get("show")
    if shown not in OUTBOX_VIEWS:
        shown = "waiting"
    emails = OutboundEmail.objects.filter(status=OUTBOX_VIEWS[shown])
    page = Paginator(emails, OUTBOX_PAGE_SIZE).get_page(request.GET.get("page"))
    counts = {
        name: OutboundEmail.objects.filter(status=status).count()
        for name, status in OUTBOX_VIEWS.items()
    }
    template = "core/outbox.html"
    if request.htmx and not request.htmx.history_restore_request:
        template += "#emails"
    return render(request, template, {"page": page, "shown": shown, "counts": counts})


@require_POST
@login_required
def outbox_retry(request, public_id):
    access.require_meeting_runner(request.user)
    outbound = OutboundEmail.objects.filter(public_id=public_id).first()
    if outbound is None:
        raise Http404
    if outbound.status != OutboundEmail.Status.QUEUED:
        messages.info(request, _("This email is no longer waiting: it has been sent."))
    elif mail.retry_now(outbound):
        messages.success(request, _("The email has been sent."))
    else:
        outbound.refresh_from_db()
        messages.error(
            request,
            _("The email could not be sent and stays queued: %(error)s")
            % {"error": outbound.last_error or _("another attempt is under way.")},
        )
    return redirect("core:outbox")
