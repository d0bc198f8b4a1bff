from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mineaction.core import access
from mineaction.stakeholders.models import Organisation


@require_GET
@login_required
def organisation_list(request):
    access.require_reader(request.user)
    organisations = Organisation.objects.all()
    return render(request, "stakeholders/organisation_list.html", {"organisations": organisations})
