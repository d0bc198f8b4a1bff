from django.urls import path

from mineaction.stakeholders import views

app_name = "stakeholders"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
]
