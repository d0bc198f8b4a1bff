from django.urls import path

from mineaction.dashboard import components, search, views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    *components.urlpatterns,
    *search.urlpatterns,
]
