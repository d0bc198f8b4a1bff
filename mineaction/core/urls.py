from django.urls import path

from mineaction.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("country/", views.country_profile, name="country_profile"),
    path("country/edit/", views.country_profile_edit, name="country_profile_edit"),
    path("country/extensions/", views.deadline_extension_add, name="deadline_extension_add"),
    path("audit/", views.audit_trail, name="audit_trail"),
    path("patterns/", views.patterns, name="patterns"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<uuid:public_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<uuid:public_id>/retry/", views.outbox_retry, name="outbox_retry"),
]
