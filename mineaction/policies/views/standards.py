"""National standards: every NMAS chapter against the current edition of the IMAS it follows
(with its JSON twin and CSV/XLSX exports), and the IMAS catalogue that holds those editions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from mineaction.core import access
from mineaction.core.pages import form_data, render_form
from mineaction.core.tables import FORMAT_LABELS, table_response
from mineaction.policies.forms import ImasStandardForm
from mineaction.policies.models import ImasStandard
from mineaction.policies.services.standards import (
    STANDARD_COLUMNS,
    standard_row_data,
    standards_rows,
    standards_summary,
)


@require_GET
@login_required
def standards(request):
    """The page, or `?format=json|csv|xlsx`."""
    access.require_reader(request.user)
    fmt = request.GET.get("format") or "html"
    if fmt not in ("html", "json", *FORMAT_LABELS):
        raise Http404
    rows = standards_rows()
    if fmt == "json":
        return JsonResponse(
            {"chapters": [standard_row_data(row) for row in rows]},
            encoder=DjangoJSONEncoder,
            json_dumps_params={"indent": None},
        )
    if fmt in FORMAT_LABELS:
        return table_response(
            STANDARD_COLUMNS,
            rows,
            fmt=fmt,
            filename="national-standards",
            title=_("National standards"),
        )
    base = reverse("policies:standards")
    return render(
        request,
        "policies/standards_lag.html",
        {
            "rows": rows,
            "summary": standards_summary(rows),
            "json_url": f"{base}?format=json",
            "export_links": [
                {"label": label, "url": f"{base}?format={fmt}"}
                for fmt, label in FORMAT_LABELS.items()
            ],
        },
    )


@require_GET
@login_required
def imas_list(request):
    access.require_reader(request.user)
    catalogue = ImasStandard.objects.annotate(chapter_count=Count("nmas_chapters")).order_by(
        "reference"
    )
    return render(
        request,
        "policies/standards_imas_list.html",
        {"catalogue": catalogue, "can_manage": access.can_manage_policies(request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def imas_create(request):
    access.require_policy_manager(request.user)
    form = ImasStandardForm(form_data(request))
    if form.is_valid():
        form.save()
        messages.success(request, _("The IMAS has been added to the catalogue."))
        return redirect("policies:imas_list")
    return render_form(request, form, title=_("New IMAS"), cancel_url=reverse("policies:imas_list"))


@require_http_methods(["GET", "POST"])
@login_required
def imas_edit(request, public_id):
    standard = access.get_imas_standard_for_user(request.user, public_id, write=True)
    form = ImasStandardForm(form_data(request), instance=standard)
    if form.is_valid():
        form.save()
        messages.success(request, _("The IMAS has been saved."))
        return redirect("policies:imas_list")
    return render_form(
        request,
        form,
        title=_("Edit IMAS"),
        subject=str(standard),
        intro=_(
            "Record a new edition here when it is published: NMAS chapters that follow an "
            "older edition then show as lagging behind."
        ),
        cancel_url=reverse("policies:imas_list"),
    )


urlpatterns = [
    path("standards/", standards, name="standards"),
    path("imas/", imas_list, name="imas_list"),
    path("imas/new/", imas_create, name="imas_create"),
    path("imas/<uuid:public_id>/edit/", imas_edit, name="imas_edit"),
]
