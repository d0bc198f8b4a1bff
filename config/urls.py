from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from mineaction.api import api

urlpatterns = [
    path("", include("mineaction.dashboard.urls")),
    path("", include("mineaction.core.urls")),
    path("stakeholders/", include("mineaction.stakeholders.urls")),
    path("meetings/", include("mineaction.meetings.urls")),
    path("article5/", include("mineaction.landrelease.urls")),
    path("challenges/", include("mineaction.challenges.urls")),
    path("workplans/", include("mineaction.workplans.urls")),
    path("policies/", include("mineaction.policies.urls")),
    path("partnerships/", include("mineaction.partnerships.urls")),
    path("funding/", include("mineaction.funding.urls")),
    path("api/v1/", api.urls),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
