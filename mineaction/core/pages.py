"""Small helpers shared by every app's pages (views): the same steps, written once."""

import uuid

from django.shortcuts import render


def form_data(request):
    """The posted data to bind a form to, or None to show it unbound on a GET."""
    return request.POST if request.method == "POST" else None


def uuid_or_none(value):
    """`value` as a UUID, or None when it is not one (a public id from a query or a payload)."""
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def results_template(request, template):
    """The whole list page, or only its `results` partial for an htmx search or page change
    (but the whole page when htmx restores its history)."""
    if request.htmx and not request.htmx.history_restore_request:
        return f"{template}#results"
    return template


def render_form(request, form, *, title, cancel_url, **extra):
    """Every create and edit page has the same shape: a title, the form, save and cancel."""
    return render(
        request, "form_page.html", {"form": form, "title": title, "cancel_url": cancel_url, **extra}
    )


def confirmed(request):
    """Deletes and other removals happen only from their confirmation page's form (a `confirm`
    field of "yes"), never from a bare POST."""
    return request.method == "POST" and request.POST.get("confirm") == "yes"
