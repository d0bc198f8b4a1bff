from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mineaction.core import access


@require_GET
def home(request):
    """The dashboard for the viewer's role; a short public welcome for visitors."""
    return render(request, "core/home.html", {"is_reader": access.is_reader(request.user)})


@require_GET
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")
