from django.urls import path

from mineaction.stakeholders import views

app_name = "stakeholders"
urlpatterns = [
    path("organisations/", views.organisation_list, name="organisation_list"),
    path("organisations/new/", views.organisation_create, name="organisation_create"),
    path("organisations/<uuid:public_id>/", views.organisation_detail, name="organisation_detail"),
    path("organisations/<uuid:public_id>/edit/", views.organisation_edit, name="organisation_edit"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<uuid:public_id>/", views.person_detail, name="person_detail"),
    path("people/<uuid:public_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<uuid:public_id>/invite/", views.person_invite, name="person_invite"),
    path("memberships/new/", views.membership_create, name="membership_create"),
    path("memberships/<uuid:public_id>/edit/", views.membership_edit, name="membership_edit"),
    path("lead-donor-rotation/", views.lead_donor_rotation, name="lead_donor_rotation"),
    path("lead-donor-rotation/new/", views.lead_donor_term_create, name="lead_donor_term_create"),
    path(
        "lead-donor-rotation/<uuid:public_id>/edit/",
        views.lead_donor_term_edit,
        name="lead_donor_term_edit",
    ),
    path("working-groups/", views.working_group_list, name="working_group_list"),
    path("working-groups/new/", views.working_group_create, name="working_group_create"),
    path(
        "working-groups/<uuid:public_id>/", views.working_group_detail, name="working_group_detail"
    ),
    path(
        "working-groups/<uuid:public_id>/edit/",
        views.working_group_edit,
        name="working_group_edit",
    ),
    path("participation/", views.participation, name="participation"),
]
